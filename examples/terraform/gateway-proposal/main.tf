# Cross-account: the owner of a VGW (account 444444444444) proposes an association with a
# Direct Connect gateway of another account (111111111111), which accepts the proposal.

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

variable "gateway_owner_account" {
  description = "Access key id, and so account, of the Direct Connect gateway's owner"
  type        = string
  default     = "111111111111"
}

variable "vgw_owner_account" {
  description = "Access key id, and so account, of the VGW's owner"
  type        = string
  default     = "444444444444"
}

variable "vgw_id" {
  description = "The VGW to associate (registered as the VGW owner's by the proposal)"
  type        = string
  default     = "vgw-0c3d4e5f60718293a"
}

provider "aws" {
  alias      = "gateway_owner"
  region     = "us-east-1"
  access_key = var.gateway_owner_account
  secret_key = "dxlocal"

  skip_metadata_api_check = true
  max_retries             = 2

  endpoints {
    directconnect = var.dxlocal_endpoint
    sts           = var.dxlocal_endpoint
    ec2           = var.dxlocal_endpoint
  }
}

provider "aws" {
  alias      = "vgw_owner"
  region     = "us-east-1"
  access_key = var.vgw_owner_account
  secret_key = "dxlocal"

  skip_metadata_api_check = true
  max_retries             = 2

  endpoints {
    directconnect = var.dxlocal_endpoint
    sts           = var.dxlocal_endpoint
    ec2           = var.dxlocal_endpoint
  }
}

resource "aws_dx_gateway" "shared" {
  provider = aws.gateway_owner

  name            = "shared-gateway"
  amazon_side_asn = "64530"
}

resource "aws_dx_gateway_association_proposal" "vpc" {
  provider = aws.vgw_owner

  dx_gateway_id               = aws_dx_gateway.shared.id
  dx_gateway_owner_account_id = aws_dx_gateway.shared.owner_account_id
  associated_gateway_id       = var.vgw_id
  allowed_prefixes            = ["10.10.0.0/16"]
}

resource "aws_dx_gateway_association" "accepted" {
  provider = aws.gateway_owner

  proposal_id                         = aws_dx_gateway_association_proposal.vpc.id
  dx_gateway_id                       = aws_dx_gateway.shared.id
  associated_gateway_owner_account_id = var.vgw_owner_account
  allowed_prefixes                    = ["10.10.0.0/16"]
}

output "gateway_id" {
  value = aws_dx_gateway.shared.id
}

output "proposal_id" {
  value = aws_dx_gateway_association_proposal.vpc.id
}

output "association_id" {
  value = aws_dx_gateway_association.accepted.dx_gateway_association_id
}
