"""Ship Captain Crew: charter management on AWS Lambda, with magic-link sign-in."""
