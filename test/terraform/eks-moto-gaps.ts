/**
 * moto's gaps for the eks-cluster module, closed in the tests that apply it (an override file written into the
 * rendered copy of the module: `addFile(<module dir>, 'moto_gaps_override.tf', eksMotoGaps)`), never in the templates:
 * - no API for access entries, access-policy associations, add-ons or Pod Identity associations: those resources get
 *   `for_each = {}` / `count = 0` here. Their arguments (the deploy role's namespace scope, the policy ARNs, the
 *   principals, the association's namespace and service account) are asserted by `terraform test` with mocked
 *   providers: test/terraform/eks-cluster.test.ts.
 * - the cluster's access_config and the node group's update_config do not round-trip (moto answers without them);
 *   moto gives every node group a remote_access block with an SSH key it invents (the rendered node group has none:
 *   it uses a launch template, and no SSH), and answers the launch template's own tags as one of its
 *   tag_specifications: `ignore_changes` on those blocks here, or every re-plan would show (or replace) them.
 */
export const eksMotoGaps = `# moto 5.2.1 has no API for these: terraform test covers their arguments (test/terraform/eks-cluster.test.ts).
resource "aws_eks_access_entry" "this" {
  for_each = {}
}

resource "aws_eks_access_policy_association" "this" {
  for_each = {}
}

resource "aws_eks_addon" "before_nodes" {
  for_each = {}
}

resource "aws_eks_addon" "after_nodes" {
  for_each = {}
}

resource "aws_eks_pod_identity_association" "this" {
  count = 0
}

# moto answers DescribeCluster without accessConfig, DescribeNodegroup without updateConfig but with a remoteAccess
# it made up, and the launch template's own tags among its data's tag specifications.
resource "aws_eks_cluster" "this" {
  lifecycle {
    ignore_changes = [access_config]
  }
}

resource "aws_eks_node_group" "this" {
  lifecycle {
    ignore_changes = [update_config, remote_access]
  }
}

resource "aws_launch_template" "node" {
  lifecycle {
    ignore_changes = [tag_specifications]
  }
}
`;
