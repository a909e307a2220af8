# A LAG at EqDC2 and a dedicated connection associated with it, as in the AWS provider's
# documentation: Terraform creates the two side by side, then associates them.

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
  description = "Value of the env tag on every resource"
  type        = string
  default     = "dev"
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
  }
}

resource "aws_dx_lag" "main" {
  name                  = "core-lag"
  connections_bandwidth = "10Gbps"
  location              = "EqDC2"

  tags = {
    env = var.environment
  }
}

resource "aws_dx_connection" "member" {
  name      = "core-lag-member-1"
  bandwidth = "10Gbps"
  location  = "EqDC2"

  tags = {
    env = var.environment
  }
}

resource "aws_dx_connection_association" "member" {
  connection_id = aws_dx_connection.member.id
  lag_id        = aws_dx_lag.main.id
}

output "lag_id" {
  value = aws_dx_lag.main.id
}

output "connection_id" {
  value = aws_dx_connection.member.id
}
