# A connection owner (here a partner, account 333333333333) allocates a private, a public and
# a transit virtual interface on its connection to a customer (account 111111111111), who
# accepts each one, binding the private and the transit one to Direct Connect gateways of its
# own. Two provider aliases, one per account: in dxlocal a 12-digit access key id is the account.

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

variable "environment" {
  description = "Value of the env tag the customer puts on each accepted virtual interface"
  type        = string
  default     = "dev"
}

variable "customer_account" {
  description = "Access key id, and so account, of the customer"
  type        = string
  default     = "111111111111"
}

variable "partner_account" {
  description = "Access key id, and so account, of the connection owner"
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
    ec2           = var.dxlocal_endpoint
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
    ec2           = var.dxlocal_endpoint
  }
}

data "aws_caller_identity" "customer" {
  provider = aws.customer
}

resource "aws_dx_connection" "partner" {
  provider = aws.partner

  name      = "partner-port"
  bandwidth = "10Gbps"
  location  = "EqDC2"
}

resource "aws_dx_gateway" "customer_private" {
  provider = aws.customer

  name            = "customer-private"
  amazon_side_asn = "64520"
}

resource "aws_dx_gateway" "customer_transit" {
  provider = aws.customer

  name            = "customer-transit"
  amazon_side_asn = "64521"
}

resource "aws_dx_hosted_private_virtual_interface" "private" {
  provider = aws.partner

  # The accepter binds this VIF to the customer's gateway but deletes nothing (the provider
  # only forgets it), so the gateway must outlive the VIF: AWS refuses to delete a gateway
  # with virtual interfaces attached.
  depends_on = [aws_dx_gateway.customer_private]

  connection_id    = aws_dx_connection.partner.id
  owner_account_id = data.aws_caller_identity.customer.account_id
  name             = "hosted-private"
  vlan             = 201
  address_family   = "ipv4"
  bgp_asn          = 65010
  mtu              = 1500
}

resource "aws_dx_hosted_private_virtual_interface_accepter" "private" {
  provider = aws.customer

  virtual_interface_id = aws_dx_hosted_private_virtual_interface.private.id
  dx_gateway_id        = aws_dx_gateway.customer_private.id

  tags = {
    env = var.environment
  }
}

resource "aws_dx_hosted_public_virtual_interface" "public" {
  provider = aws.partner

  connection_id    = aws_dx_connection.partner.id
  owner_account_id = data.aws_caller_identity.customer.account_id
  name             = "hosted-public"
  vlan             = 202
  address_family   = "ipv4"
  bgp_asn          = 65011
  amazon_address   = "203.0.113.5/30"
  customer_address = "203.0.113.6/30"

  route_filter_prefixes = ["198.51.100.0/25"]
}

resource "aws_dx_hosted_public_virtual_interface_accepter" "public" {
  provider = aws.customer

  virtual_interface_id = aws_dx_hosted_public_virtual_interface.public.id

  tags = {
    env = var.environment
  }
}

resource "aws_dx_hosted_transit_virtual_interface" "transit" {
  provider = aws.partner

  # The accepter binds this VIF to the customer's gateway but deletes nothing (the provider
  # only forgets it), so the gateway must outlive the VIF: AWS refuses to delete a gateway
  # with virtual interfaces attached.
  depends_on = [aws_dx_gateway.customer_transit]

  connection_id    = aws_dx_connection.partner.id
  owner_account_id = data.aws_caller_identity.customer.account_id
  name             = "hosted-transit"
  vlan             = 203
  address_family   = "ipv4"
  bgp_asn          = 65012
  mtu              = 8500
}

resource "aws_dx_hosted_transit_virtual_interface_accepter" "transit" {
  provider = aws.customer

  virtual_interface_id = aws_dx_hosted_transit_virtual_interface.transit.id
  dx_gateway_id        = aws_dx_gateway.customer_transit.id

  tags = {
    env = var.environment
  }
}

output "private_vif_id" {
  value = aws_dx_hosted_private_virtual_interface_accepter.private.virtual_interface_id
}

output "public_vif_id" {
  value = aws_dx_hosted_public_virtual_interface_accepter.public.virtual_interface_id
}

output "transit_vif_id" {
  value = aws_dx_hosted_transit_virtual_interface_accepter.transit.virtual_interface_id
}
