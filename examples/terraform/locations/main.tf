# The Direct Connect locations of the region, and one of them in detail.

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

provider "aws" {
  region     = "us-east-1"
  access_key = "111111111111"
  secret_key = "dxlocal"

  skip_metadata_api_check = true
  max_retries             = 2

  endpoints {
    directconnect = var.dxlocal_endpoint
    sts           = var.dxlocal_endpoint
  }
}

data "aws_dx_locations" "all" {}

data "aws_dx_location" "eqdc2" {
  location_code = "EqDC2"
}

output "location_codes" {
  value = data.aws_dx_locations.all.location_codes
}

output "eqdc2_name" {
  value = data.aws_dx_location.eqdc2.location_name
}

output "eqdc2_port_speeds" {
  value = data.aws_dx_location.eqdc2.available_port_speeds
}

output "eqdc2_macsec_port_speeds" {
  value = data.aws_dx_location.eqdc2.available_macsec_port_speeds
}

output "eqdc2_providers" {
  value = data.aws_dx_location.eqdc2.available_providers
}
