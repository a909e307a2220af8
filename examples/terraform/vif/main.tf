# Virtual interfaces of all three types on one dedicated connection, two Direct Connect
# gateways, a VGW association and a TGW association, a second BGP peer, and the gateway and
# router-configuration data sources.
#
# The VGWs and the TGW are EC2 resources that dxlocal does not build: it registers a
# well-formed vgw-/tgw- id as the caller's, in the request region, the first time a Direct
# Connect call binds or associates it (or seed them with POST /_dxlocal/gateways).

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
  description = "Value of the env tag on every virtual interface"
  type        = string
  default     = "dev"
}

variable "vgw_id" {
  description = "The VGW the first private virtual interface binds to"
  type        = string
  default     = "vgw-0a1b2c3d4e5f60718"
}

variable "associated_vgw_id" {
  description = "The VGW associated with the private Direct Connect gateway"
  type        = string
  default     = "vgw-0b2c3d4e5f6071829"
}

variable "tgw_id" {
  description = "The transit gateway associated with the transit Direct Connect gateway"
  type        = string
  default     = "tgw-0123456789abcdef0"
}

provider "aws" {
  region     = "us-east-1"
  access_key = "111111111111" # 12 digits: the account id in dxlocal
  secret_key = "dxlocal"      # never checked

  skip_metadata_api_check = true
  max_retries             = 2

  endpoints {
    directconnect = var.dxlocal_endpoint
    sts           = var.dxlocal_endpoint
    ec2           = var.dxlocal_endpoint # no EC2 call is made; if one were, it would fail here, loudly
  }
}

resource "aws_dx_connection" "main" {
  name      = "vif-host"
  bandwidth = "10Gbps"
  location  = "EqDC2"
}

resource "aws_dx_gateway" "private" {
  name            = "dxgw-private"
  amazon_side_asn = "64512"
}

resource "aws_dx_gateway" "transit" {
  name            = "dxgw-transit"
  amazon_side_asn = "64513"
}

resource "aws_dx_private_virtual_interface" "to_vgw" {
  connection_id  = aws_dx_connection.main.id
  name           = "private-to-vgw"
  vlan           = 101
  address_family = "ipv4"
  bgp_asn        = 65001
  vpn_gateway_id = var.vgw_id

  tags = {
    env = var.environment
  }
}

resource "aws_dx_private_virtual_interface" "to_dxgw" {
  connection_id    = aws_dx_connection.main.id
  name             = "private-to-dxgw"
  vlan             = 102
  address_family   = "ipv4"
  bgp_asn          = 65001
  amazon_address   = "169.254.100.1/30"
  customer_address = "169.254.100.2/30"
  bgp_auth_key     = "dxlocal-example-key"
  mtu              = 9001
  sitelink_enabled = true
  dx_gateway_id    = aws_dx_gateway.private.id

  tags = {
    env = var.environment
  }
}

resource "aws_dx_public_virtual_interface" "public" {
  connection_id    = aws_dx_connection.main.id
  name             = "public"
  vlan             = 103
  address_family   = "ipv4"
  bgp_asn          = 65002
  amazon_address   = "203.0.113.1/30"
  customer_address = "203.0.113.2/30"

  route_filter_prefixes = [
    "198.51.100.0/24",
    "203.0.113.0/30",
  ]

  tags = {
    env = var.environment
  }
}

resource "aws_dx_transit_virtual_interface" "transit" {
  connection_id  = aws_dx_connection.main.id
  name           = "transit"
  vlan           = 104
  address_family = "ipv4"
  bgp_asn        = 65003
  mtu            = 8500
  dx_gateway_id  = aws_dx_gateway.transit.id

  tags = {
    env = var.environment
  }
}

resource "aws_dx_bgp_peer" "ipv6" {
  virtual_interface_id = aws_dx_private_virtual_interface.to_vgw.id
  address_family       = "ipv6"
  bgp_asn              = 65001
}

resource "aws_dx_gateway_association" "vgw" {
  dx_gateway_id         = aws_dx_gateway.private.id
  associated_gateway_id = var.associated_vgw_id
  allowed_prefixes      = ["10.0.0.0/16"]
}

resource "aws_dx_gateway_association" "tgw" {
  dx_gateway_id         = aws_dx_gateway.transit.id
  associated_gateway_id = var.tgw_id
  allowed_prefixes      = ["10.1.0.0/16", "10.2.0.0/16"]
}

data "aws_dx_gateway" "private" {
  name = aws_dx_gateway.private.name
}

data "aws_dx_router_configuration" "to_vgw" {
  virtual_interface_id   = aws_dx_private_virtual_interface.to_vgw.id
  router_type_identifier = "CiscoSystemsInc-2900SeriesRouters-IOS124"

  # The configuration lists every BGP peer of the VIF: read it once the IPv6 peer exists.
  depends_on = [aws_dx_bgp_peer.ipv6]
}

output "connection_id" {
  value = aws_dx_connection.main.id
}

output "private_vif_id" {
  value = aws_dx_private_virtual_interface.to_vgw.id
}

output "dxgw_vif_id" {
  value = aws_dx_private_virtual_interface.to_dxgw.id
}

output "public_vif_id" {
  value = aws_dx_public_virtual_interface.public.id
}

output "transit_vif_id" {
  value = aws_dx_transit_virtual_interface.transit.id
}

output "private_gateway_id" {
  value = aws_dx_gateway.private.id
}

output "vgw_association_import_id" {
  value = "${aws_dx_gateway.private.id}/${var.associated_vgw_id}"
}

output "ipv6_peer_id" {
  value = aws_dx_bgp_peer.ipv6.bgp_peer_id
}

output "gateway_from_data_source" {
  value = data.aws_dx_gateway.private.id
}

output "router_vendor" {
  value = data.aws_dx_router_configuration.to_vgw.router[0].vendor
}

output "customer_router_config" {
  value = data.aws_dx_router_configuration.to_vgw.customer_router_config
}
