# A partner allocates a hosted connection on its interconnect to a customer, who confirms it.
# Two provider aliases, one per account: in dxlocal a 12-digit access key id is the account.
#
# The AWS provider has no interconnect resource: create the interconnect first, as the
# partner (account 333333333333, started with -partners 333333333333), and pass its id:
#
#   AWS_ACCESS_KEY_ID=333333333333 AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 \
#     aws directconnect create-interconnect --endpoint-url http://127.0.0.1:4599 \
#     --interconnect-name partner-ic --location EqDC2 --bandwidth 10Gbps
#   terraform apply -var interconnect_id=dxcon-...

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "dxlocal_endpoint" {
  description = "URL of dxlocal"
  type        = string
  default     = "http://127.0.0.1:4599"
}

variable "interconnect_id" {
  description = "The partner's interconnect (dxcon-...) to allocate the hosted connection on"
  type        = string
}

variable "customer_account" {
  description = "Access key id, and so account, of the customer"
  type        = string
  default     = "111111111111"
}

variable "partner_account" {
  description = "Access key id, and so account, of the partner"
  type        = string
  default     = "333333333333"
}

provider "aws" {
  alias      = "partner"
  region     = "us-east-1"
  access_key = var.partner_account
  secret_key = "dxlocal"

  skip_metadata_api_check = true
  max_retries             = 2

  endpoints {
    directconnect = var.dxlocal_endpoint
    sts           = var.dxlocal_endpoint
  }
}

provider "aws" {
  alias      = "customer"
  region     = "us-east-1"
  access_key = var.customer_account
  secret_key = "dxlocal"

  skip_metadata_api_check = true
  max_retries             = 2

  endpoints {
    directconnect = var.dxlocal_endpoint
    sts           = var.dxlocal_endpoint
  }
}

data "aws_caller_identity" "customer" {
  provider = aws.customer
}

resource "aws_dx_hosted_connection" "customer" {
  provider = aws.partner

  connection_id    = var.interconnect_id
  owner_account_id = data.aws_caller_identity.customer.account_id
  name             = "customer-hosted-500m"
  bandwidth        = "500Mbps"
  vlan             = 101
}

resource "aws_dx_connection_confirmation" "customer" {
  provider = aws.customer

  connection_id = aws_dx_hosted_connection.customer.id
}

output "hosted_connection_id" {
  value = aws_dx_hosted_connection.customer.id
}
