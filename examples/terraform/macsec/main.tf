# A MACsec-capable 10 Gbps dedicated connection with a MACsec key (CKN/CAK pair).

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
  description = "Value of the env tag on the connection"
  type        = string
  default     = "dev"
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

resource "aws_dx_connection" "encrypted" {
  name           = "encrypted-10g"
  bandwidth      = "10Gbps"
  location       = "EqDC2"
  request_macsec = true

  tags = {
    env = var.environment
  }
}

resource "aws_dx_macsec_key_association" "key" {
  connection_id = aws_dx_connection.encrypted.id
  ckn           = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  cak           = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
}

output "connection_id" {
  value = aws_dx_connection.encrypted.id
}

output "secret_arn" {
  value = aws_dx_macsec_key_association.key.secret_arn
}
