# What moto cannot emulate (access entries, access-policy associations, add-ons, Pod Identity associations), planned
# and applied against a mocked AWS provider: the arguments the module gives them. Copied into the rendered module's
# tests/ folder by test/terraform/eks-cluster.test.ts; the variables are those the environment root passes.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_eks_cluster" {
    defaults = { arn = "arn:aws:eks:eu-west-1:123456789012:cluster/orders-production", version = "1.35" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/orders-production-pod" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/mock" }
  }
}

variables {
  name                = "orders-production"
  kubernetes_version  = "1.35"
  subnet_ids          = ["subnet-a", "subnet-b"]
  public_access_cidrs = ["203.0.113.0/24"]
  node_instance_types = ["m7g.large"]
  node_ami_type       = "AL2023_ARM_64_STANDARD"
  node_min_size       = 3
  node_desired_size   = 3
  node_max_size       = 6
  namespace           = "orders-api"
  service_account     = "orders"
  deploy_role_arn     = "arn:aws:iam::123456789012:role/orders-production-deploy"
  infra_role_arn      = "arn:aws:iam::123456789012:role/orders-production-infra"
  tags                = { App = "orders", Environment = "production" }
  service_policy_statements = [
    { Sid = "PublishOrders", Effect = "Allow", Action = "sqs:SendMessage", Resource = "arn:aws:sqs:eu-west-1:123456789012:orders" },
  ]
}

run "deploy_role_edits_its_namespace_only" {
  command = apply

  assert {
    condition     = aws_eks_access_entry.this["deploy"].principal_arn == var.deploy_role_arn && aws_eks_access_entry.this["deploy"].type == "STANDARD"
    error_message = "the deploy role needs a STANDARD access entry"
  }

  assert {
    condition     = aws_eks_access_policy_association.this["deploy"].principal_arn == var.deploy_role_arn
    error_message = "the deploy role's association must name the deploy role"
  }

  assert {
    condition     = aws_eks_access_policy_association.this["deploy"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
    error_message = "the deploy role must get AmazonEKSEditPolicy, never cluster admin"
  }

  assert {
    condition     = aws_eks_access_policy_association.this["deploy"].access_scope[0].type == "namespace" && length(aws_eks_access_policy_association.this["deploy"].access_scope[0].namespaces) == 1 && contains(aws_eks_access_policy_association.this["deploy"].access_scope[0].namespaces, "orders-api")
    error_message = "the deploy role's access must be scoped to the application's namespace and no other"
  }
}

run "cluster_administration_is_the_infra_roles" {
  command = apply

  assert {
    condition     = aws_eks_access_policy_association.this["infra"].principal_arn == var.infra_role_arn
    error_message = "the infra role administers the cluster"
  }

  assert {
    condition     = aws_eks_access_policy_association.this["infra"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" && aws_eks_access_policy_association.this["infra"].access_scope[0].type == "cluster"
    error_message = "the infra role's access is cluster administration, cluster-wide"
  }

  assert {
    condition     = length(aws_eks_access_entry.this) == 2 && length(aws_eks_access_policy_association.this) == 2
    error_message = "without cluster_admin_principal_arns, only the deploy and infra roles have access entries"
  }

  assert {
    condition     = aws_eks_cluster.this.access_config[0].authentication_mode == "API" && aws_eks_cluster.this.access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "access entries only (no aws-auth ConfigMap), and no hidden administrator entry for the cluster's creator"
  }
}

run "listed_administrators_get_cluster_admin" {
  command = apply

  variables {
    cluster_admin_principal_arns = ["arn:aws:iam::123456789012:role/Admin"]
  }

  assert {
    condition     = aws_eks_access_policy_association.this["admin-0"].principal_arn == "arn:aws:iam::123456789012:role/Admin" && aws_eks_access_policy_association.this["admin-0"].access_scope[0].type == "cluster"
    error_message = "each listed administrator gets cluster administration"
  }
}

run "addons_and_network_policy_enforcement" {
  command = apply

  assert {
    condition     = toset(keys(aws_eks_addon.before_nodes)) == toset(["eks-pod-identity-agent", "kube-proxy", "vpc-cni"]) && toset(keys(aws_eks_addon.after_nodes)) == toset(["coredns", "metrics-server"])
    error_message = "VPC CNI, kube-proxy and the Pod Identity agent before the nodes; CoreDNS and metrics-server after"
  }

  assert {
    condition     = jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
    error_message = "the VPC CNI must enforce NetworkPolicy objects"
  }

  assert {
    condition     = alltrue([for addon in values(merge(aws_eks_addon.before_nodes, aws_eks_addon.after_nodes)) : addon.cluster_name == aws_eks_cluster.this.name])
    error_message = "every add-on belongs to this cluster"
  }
}

run "service_permissions_through_pod_identity" {
  command = apply

  assert {
    condition     = aws_eks_pod_identity_association.this[0].namespace == "orders-api" && aws_eks_pod_identity_association.this[0].service_account == "orders"
    error_message = "the association names the application's namespace and service account"
  }

  assert {
    condition     = aws_eks_pod_identity_association.this[0].role_arn == aws_iam_role.pod[0].arn && aws_iam_role.pod[0].name == "orders-production-pod"
    error_message = "the association hands out the pod role"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.pod[0].policy).Statement[0].Action == "sqs:SendMessage"
    error_message = "the pod role carries the service's statements"
  }
}

run "no_statements_no_pod_role" {
  command = apply

  variables {
    service_policy_statements = []
  }

  assert {
    condition     = length(aws_iam_role.pod) == 0 && length(aws_eks_pod_identity_association.this) == 0
    error_message = "without statements there is no pod role and no association"
  }
}

run "node_group_sizes_must_be_ordered" {
  command = plan

  variables {
    node_min_size = 5
  }

  expect_failures = [var.node_max_size]
}

run "admins_must_be_principals" {
  command = plan

  variables {
    cluster_admin_principal_arns = ["arn:aws:sts::123456789012:assumed-role/Admin/session"]
  }

  expect_failures = [var.cluster_admin_principal_arns]
}
