"""DynamoDB plumbing shared by the stores: item (de)serialisation and table definitions."""
