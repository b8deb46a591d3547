"""The closed vocabularies of the knowledge base, so a typo is a validation problem, not a blank."""

from __future__ import annotations

from enum import StrEnum


class EntityKind(StrEnum):
    CHARTER = "charter"
    RENTAL = "rental"
    DELIVERY = "delivery"
    AGENCY = "agency"
    SERVICES = "services"


class AccountType(StrEnum):
    REVENUE = "revenue"
    EXPENSE = "expense"
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"


class CostBehavior(StrEnum):
    FIXED = "fixed"
    VARIABLE = "variable"


class Severity(StrEnum):
    """Rank shortfalls and action priorities alike, most urgent first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Return 0 for the most urgent level, so sorting by rank puts it first."""
        return list(Severity).index(self)


class Area(StrEnum):
    STRATEGY = "strategy"
    SALES = "sales"
    MARKETING = "marketing"
    FINANCE = "finance"
    ACCOUNTING = "accounting"
    LEGAL = "legal"
    OPERATIONS = "operations"
    ENGINEERING = "engineering"
    SECURITY = "security"
    UX = "ux"
    DEVOPS = "devops"


class OwnerRole(StrEnum):
    CEO = "ceo"
    CTO = "cto"
    CFO = "cfo"
    CMO = "cmo"
    ACCOUNTING = "accounting"
    OPERATIONS = "operations"
    OWNER = "owner"  # the owner of the entity concerned


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
    PAUSED = "paused"
    DONE = "done"


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    MISSED = "missed"


class ChannelKind(StrEnum):
    WEBSITE = "website"
    EMAIL = "email"
    SOCIAL = "social"
    OTA = "ota"  # online travel agencies: Sailo, GetMyBoat, Viator...
    SEARCH = "search"  # local search: Google Business Profile, Yelp
    LISTING = "listing"  # classifieds and rental sites
    REFERRAL = "referral"


class ChannelStatus(StrEnum):
    LIVE = "live"
    DRAFT = "draft"
    PLANNED = "planned"
    PAUSED = "paused"


class UnitStatus(StrEnum):
    OCCUPIED = "occupied"
    VACANT = "vacant"
    NOTICE = "notice"  # occupied, tenant has given notice


class JobStatus(StrEnum):
    QUOTED = "quoted"
    BOOKED = "booked"
    COMPLETED = "completed"
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


class BillingModel(StrEnum):
    RETAINER = "retainer"
    HOURLY = "hourly"
    FIXED = "fixed"
    NONE = "none"  # work is done but no billing model was ever agreed


class CapitalStatus(StrEnum):
    PLANNED = "planned"
    APPROVED = "approved"
    COMMITTED = "committed"
    SPENT = "spent"


class RuleKind(StrEnum):
    MIN_CASH = "min_cash"  # cash on hand never below `limit`
    MAX_SINGLE_EXPENSE = "max_single_expense"  # no one outflow larger than `limit`
    MAX_ACCOUNT_MONTHLY = "max_account_monthly"  # `account`'s outflows per month at most `limit`
    MAX_MONTHLY_OUTFLOW = "max_monthly_outflow"  # net outflow per month at most `limit`


class AssetType(StrEnum):
    CLOUD = "cloud"
    DOMAIN = "domain"
    VESSEL = "vessel"
    PROPERTY = "property"
    VEHICLE = "vehicle"
    SUBSCRIPTION = "subscription"


class AssetStatus(StrEnum):
    ACTIVE = "active"
    IDLE = "idle"
    PLANNED = "planned"
    RETIRED = "retired"


class Service(StrEnum):
    LAMBDA = "lambda"
    S3 = "s3"
    DYNAMODB = "dynamodb"
    CLOUDFRONT = "cloudfront"
    ROUTE53 = "route53"
    SES = "ses"
    APIGATEWAY = "apigateway"
    CLOUDWATCH = "cloudwatch"
    SECRETSMANAGER = "secretsmanager"
    EVENTBRIDGE = "eventbridge"
    SQS = "sqs"
    EC2 = "ec2"
    DOMAIN = "domain"
    VESSEL = "vessel"
    PROPERTY = "property"
    VEHICLE = "vehicle"
    SAAS = "saas"

    @property
    def is_aws(self) -> bool:
        """Tell whether this service is billed on the AWS invoice."""
        return self not in _NOT_AWS


_NOT_AWS = frozenset({Service.DOMAIN, Service.VESSEL, Service.PROPERTY, Service.VEHICLE, Service.SAAS})
