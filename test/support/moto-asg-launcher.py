"""moto 5.2.1 whose Auto Scaling groups boot, wait in lifecycle hooks and sit behind a load balancer that checks the hosts,
for the asg target's tests. It loads moto-ssm-launcher.py (SSM commands really run, per instance, in a sandbox) and adds
what the asg scripts need and stock moto does not do (argv: --port N):

- Lifecycle hooks given with CreateAutoScalingGroup (LifecycleHookSpecificationList: Terraform's initial_lifecycle_hook)
  are created before the group's first instances launch (stock moto ignores them).
- An instance a group launches while it has an autoscaling:EC2_INSTANCE_LAUNCHING hook enters Pending:Wait, and its
  user data (the launch template's) runs with /bin/sh in its sandbox, as cloud-init would, with the launcher's PATH (the
  stand-ins of test/support/host-stubs/asg-bin first). Its output goes to <sandbox>/boot.log.
- CompleteLifecycleAction (not implemented by moto): CONTINUE puts the instance InService and registers it with the
  group's target groups; ABANDON terminates it and the group launches a replacement.
- Pending instances count towards the group's capacity, and only InService instances are registered with target groups,
  once, when they come in service (stock moto re-registers every instance whenever the capacity is set, undoing a
  deploy's deregistration); an instance the group scales in leaves its target groups (moto leaves it registered).
- A launch template's `resolve:ssm:<parameter>` image is resolved at launch, as EC2 does.
- Target health follows the host: a registered instance answers "initial" at the first read, then "healthy" while the
  service stand-in runs a release whose commit is not listed in <sandbox>/control/unhealthy (and no
  <sandbox>/control/lb-unhealthy exists), else "unhealthy"; a deregistered one answers "draining" once, then "unused".
- CreateImage accepts snapshot tag specifications (moto raises NotImplementedError) and tags the image's snapshot.
- CreateLaunchTemplate does not copy the template's own tags into its launch data as a "launch-template" tag
  specification (moto does: Terraform then sees the provider's default_tags as drift).
- CreateLaunchTemplateVersion honours SourceVersion (moto ignores it): the new version is the source's data with the
  given data on top; and it keeps user data decodable (moto stores it as text, and launching from it then fails).
- A bucket policy's `Deny` of requests without TLS (Bool aws:SecureTransport false) is not applied: moto ignores the
  conditions of bucket policies, so it denied every request to such a bucket; its plain HTTP stands for the HTTPS every
  AWS client uses.
- StartInstanceRefresh / DescribeInstanceRefreshes (not implemented by moto): a refresh is recorded with its preferences,
  answers InProgress at its first read and Successful afterwards. Instances are not replaced.

Test controls: files in $MOTO_SSM_SANDBOX/next-boot/ are moved into the control folder of the next instance a group
launches (e.g. `unhealthy` with a commit: its boot fails). Journal events (journal.jsonl, as the SSM launcher's):
launch, boot-start, boot-end (exitCode), lifecycle (result), register / deregister (targetGroup, instanceIds),
refresh (preferences).
"""

from __future__ import annotations

import copy
import json
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import uuid
from typing import Any

from moto.autoscaling import models as asg_models
from moto.autoscaling import responses as asg_responses
from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.models import amis as ec2_amis
from moto.ec2.responses import launch_templates as lt_responses
from moto.ec2.utils import parse_user_data
from moto.elbv2 import models as elbv2_models
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3 import models as s3_models
from moto.ssm import models as ssm_models

# Loading the SSM launcher from its file would cache its bytecode in test/support/__pycache__, inside the repository.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location("moto_ssm_launcher", os.path.join(os.path.dirname(__file__), "moto-ssm-launcher.py"))
assert _spec and _spec.loader
ssm_launcher = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ssm_launcher)

journal = ssm_launcher.journal
lock = ssm_launcher.lock
SANDBOX_ROOT = ssm_launcher.SANDBOX_ROOT
LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING"

# Reads of each (target group, instance) since it was registered or deregistered: the first answers initial / draining.
health_reads: dict[tuple[str, str], int] = {}
refreshes: dict[str, list[dict[str, Any]]] = {}


def launch_hook(backend: Any, group_name: str) -> Any | None:
    for hook in backend.lifecycle_hooks.values():
        if hook.auto_scaling_group_name == group_name and hook.lifecycle_transition == LAUNCHING:
            return hook
    return None


# --- lifecycle hooks given at creation ------------------------------------------------------------------------------

original_create_group = asg_responses.AutoScalingResponse.create_auto_scaling_group


def create_auto_scaling_group(self: Any) -> Any:
    name = self._get_param("AutoScalingGroupName")
    for spec in self._get_param("LifecycleHookSpecificationList", []) or []:
        self.autoscaling_backend.create_lifecycle_hook(
            name=spec.get("LifecycleHookName"),
            as_name=name,
            transition=spec.get("LifecycleTransition"),
            timeout=int(spec["HeartbeatTimeout"]) if spec.get("HeartbeatTimeout") else None,
            result=spec.get("DefaultResult"),
        )
    return original_create_group(self)


# --- launches: Pending:Wait and a boot, or InService and registered -------------------------------------------------

original_replace = asg_models.FakeAutoScalingGroup.replace_autoscaling_group_instances
original_image_id = asg_models.FakeAutoScalingGroup.image_id


def image_id(self: Any) -> str:
    image = original_image_id.fget(self)  # type: ignore[attr-defined]
    if isinstance(image, str) and image.startswith("resolve:ssm:"):
        ssm = ssm_models.ssm_backends[self.autoscaling_backend.account_id][self.autoscaling_backend.region_name]
        parameter = ssm.get_parameter(image[len("resolve:ssm:") :])
        return parameter.value
    return image


def replace_autoscaling_group_instances(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
    before = {state.instance.id for state in self.instance_states}
    original_replace(self, count_needed, propagated_tags)
    backend = self.autoscaling_backend
    hook = launch_hook(backend, self.name)
    for state in self.instance_states:
        if state.instance.id in before:
            continue
        journal({"event": "launch", "group": self.name, "instanceId": state.instance.id, "imageId": state.instance.image_id})
        if hook is None:
            state.lifecycle_state = "InService"
            register(backend, self, [state.instance.id])
            continue
        state.lifecycle_state = "Pending:Wait"
        user_data = self.user_data
        text = user_data.decode() if user_data is not None else ""
        threading.Thread(target=boot, args=(state.instance.id, text), daemon=True).start()


def active_instances(self: Any) -> list[Any]:
    # Pending instances are part of the group's capacity: counting only InService ones launches more and more.
    return [state for state in self.instance_states if state.lifecycle_state == "InService" or state.lifecycle_state.startswith("Pending")]


def boot(instance_id: str, user_data: str) -> None:
    """cloud-init's part: runs the (decoded) user data once, as the instance's first boot."""
    sandbox = ssm_launcher.instance_sandbox(instance_id)
    next_boot = os.path.join(SANDBOX_ROOT, "next-boot")
    with lock:
        if os.path.isdir(next_boot) and os.listdir(next_boot):
            control = os.path.join(sandbox, "control")
            os.makedirs(control, exist_ok=True)
            for name in os.listdir(next_boot):
                shutil.move(os.path.join(next_boot, name), os.path.join(control, name))
    script = os.path.join(sandbox, "_boot.sh")
    with open(script, "w", encoding="utf-8") as out:
        out.write(user_data or "#!/bin/sh\n")
    journal({"event": "boot-start", "instanceId": instance_id})
    with open(os.path.join(sandbox, "boot.log"), "w", encoding="utf-8") as log:
        process = subprocess.Popen(["/bin/sh", script], cwd=sandbox, env=ssm_launcher.instance_env(sandbox, instance_id), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        with lock:
            ssm_launcher.live_processes.add(process)
        try:
            code = process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            ssm_launcher.kill_group(process)
            code = -1
        finally:
            with lock:
                ssm_launcher.live_processes.discard(process)
    journal({"event": "boot-end", "instanceId": instance_id, "exitCode": code})


original_set_desired_capacity = asg_models.FakeAutoScalingGroup.set_desired_capacity


def set_desired_capacity(self: Any, new_capacity: int | None) -> None:
    before = {state.instance.id for state in self.instance_states}
    original_set_desired_capacity(self, new_capacity)
    removed = before - {state.instance.id for state in self.instance_states}
    # Scaling in, the group takes an instance out of its target groups before terminating it (moto leaves it there).
    for arn in self.target_group_arns if removed else []:
        target_group = self.autoscaling_backend.elbv2_backend.target_groups.get(arn)
        gone = [i for i in removed if target_group is not None and i in target_group.targets]
        if gone:
            target_group.deregister([{"Id": i} for i in gone])
            journal({"event": "deregister", "by": "autoscaling", "targetGroup": arn, "instanceIds": gone})


def update_attached_target_groups(self: Any, group_name: str) -> None:
    # Registration happens when an instance comes in service (see register), never again behind a deploy's back.
    return None


def register(backend: Any, group: Any, instance_ids: list[str]) -> None:
    for arn in group.target_group_arns:
        target_group = backend.elbv2_backend.target_groups.get(arn)
        if target_group is None:
            continue
        target_group.register([{"Id": i, "Port": target_group.port} for i in instance_ids])
        with lock:
            for i in instance_ids:
                health_reads[(arn, i)] = 0
        journal({"event": "register", "by": "autoscaling", "targetGroup": arn, "instanceIds": instance_ids})


# --- CompleteLifecycleAction ----------------------------------------------------------------------------------------


def complete_lifecycle_action(self: Any) -> Any:
    backend = self.autoscaling_backend
    group_name = self._get_param("AutoScalingGroupName")
    hook_name = self._get_param("LifecycleHookName")
    instance_id = self._get_param("InstanceId")
    result = self._get_param("LifecycleActionResult")
    group = backend.autoscaling_groups.get(group_name)
    if group is None:
        raise asg_models.ValidationError(f"AutoScalingGroup name not found - {group_name}")
    if f"{group_name}_{hook_name}" not in backend.lifecycle_hooks:
        raise asg_models.ValidationError(f"No Lifecycle Hook found with name {hook_name} for group {group_name}")
    if result not in ("CONTINUE", "ABANDON"):
        raise asg_models.ValidationError(f"LifecycleActionResult must be CONTINUE or ABANDON, not {result}")
    state = next((s for s in group.instance_states if s.instance.id == instance_id), None)
    if state is None or state.lifecycle_state != "Pending:Wait":
        raise asg_models.ValidationError(f"No active Lifecycle Action found with instance ID {instance_id}")
    journal({"event": "lifecycle", "group": group_name, "instanceId": instance_id, "result": result})
    if result == "CONTINUE":
        state.lifecycle_state = "InService"
        register(backend, group, [instance_id])
    else:
        group.instance_states = [s for s in group.instance_states if s.instance.id != instance_id]
        backend.ec2_backend.terminate_instances([instance_id])
        # The group is one short of its desired capacity now: it launches a replacement.
        group.set_desired_capacity(group.desired_capacity)
    return EmptyResult()


# --- target health that follows the host -----------------------------------------------------------------------------

original_register = elbv2_models.FakeTargetGroup.register
original_deregister = elbv2_models.FakeTargetGroup.deregister
original_health_for = elbv2_models.FakeTargetGroup.health_for
original_deregister_targets = elbv2_models.ELBv2Backend.deregister_targets
original_register_targets = elbv2_models.ELBv2Backend.register_targets


def register_targets(self: Any, target_group_arn: str, instances: list[Any]) -> None:
    original_register_targets(self, target_group_arn, instances)
    with lock:
        for target in instances:
            health_reads[(target_group_arn, target["Id"])] = 0
    journal({"event": "register", "by": "api", "targetGroup": target_group_arn, "instanceIds": [t["Id"] for t in instances]})


def deregister_targets(self: Any, target_group_arn: str, instances: list[Any]) -> None:
    original_deregister_targets(self, target_group_arn, instances)
    with lock:
        for target in instances:
            health_reads[(target_group_arn, target["Id"])] = 0
    journal({"event": "deregister", "targetGroup": target_group_arn, "instanceIds": [t["Id"] for t in instances]})


def host_ready(instance_id: str) -> bool:
    sandbox = os.path.join(SANDBOX_ROOT, instance_id)
    control = os.path.join(sandbox, "control")
    if os.path.exists(os.path.join(control, "lb-unhealthy")):
        return False
    try:
        with open(os.path.join(sandbox, "service", "running"), encoding="utf-8") as running:
            commit = running.read().strip()
    except FileNotFoundError:
        return False
    if not commit:
        return False
    try:
        with open(os.path.join(control, "unhealthy"), encoding="utf-8") as unhealthy:
            return commit not in {line.strip() for line in unhealthy}
    except FileNotFoundError:
        return True


def health_for(self: Any, target: dict[str, Any], ec2_backend: Any) -> Any:
    status = original_health_for(self, target, ec2_backend)
    key = (self.arn, target["Id"])
    with lock:
        reads = health_reads.get(key)
        if reads is not None:
            health_reads[key] = reads + 1
    registered = target["Id"] in self.targets
    if registered and status.status == "healthy":
        if reads == 0:
            status.status, status.reason, status.description = "initial", "Elb.RegistrationInProgress", "Target registration is in progress"
        elif not host_ready(target["Id"]):
            status.status, status.reason, status.description = "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"
    elif not registered and target["Id"] in self.deregistered_targets and reads == 0:
        status.status, status.reason, status.description = "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"
    return status


# --- images, launch template versions, instance refreshes ------------------------------------------------------------

original_create_image = ec2_amis.AmiBackend.create_image


def create_image(self: Any, instance_id: str, name: str, description: str, tag_specifications: list[dict[str, Any]]) -> Any:
    snapshot_tags = [tag for spec in tag_specifications if spec["ResourceType"] == "snapshot" for tag in spec["Tags"]]
    ami = original_create_image(self, instance_id, name, description, [spec for spec in tag_specifications if spec["ResourceType"] != "snapshot"])
    for tag in snapshot_tags:
        ami.ebs_snapshot.add_tag(tag["Key"], tag["Value"])
    return ami


original_create_template = lt_responses.LaunchTemplates.create_launch_template


def create_launch_template(self: Any) -> Any:
    result = original_create_template(self)
    # The request's own tag specifications tag the template; moto also copies them into the template's data, as if
    # instances were to be launched with a "launch-template" tag specification (which Terraform then sees as drift).
    template = self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName"))
    for version in template.versions:
        specs = version.data.get("TagSpecifications")
        if specs:
            version.data["TagSpecifications"] = [spec for spec in specs if spec.get("ResourceType") != "launch-template"]
    return result


original_create_version = lt_responses.LaunchTemplates.create_launch_template_version


def create_launch_template_version(self: Any) -> Any:
    source = self._get_param("SourceVersion")
    given = dict(self._get_param("LaunchTemplateData", {}) or {})
    # moto keeps a new version's user data as text (CreateLaunchTemplate decodes it): launching from it then fails.
    if isinstance(given.get("UserData"), str):
        given["UserData"] = parse_user_data(given["UserData"])
    data = given
    if source:
        name = self._get_param("LaunchTemplateName")
        template_id = self._get_param("LaunchTemplateId")
        template = self.ec2_backend.get_launch_template_by_name(name) if name else self.ec2_backend.get_launch_template(template_id)
        base = template.default_version() if source == "$Default" else template.latest_version() if source == "$Latest" else template.get_version(source)
        data = {**copy.copy(base.data), **given}
    original_get_param = self._get_param

    def get_param(param_name: str, if_none: Any = None) -> Any:
        return data if param_name == "LaunchTemplateData" else original_get_param(param_name, if_none)

    self._get_param = get_param
    try:
        return original_create_version(self)
    finally:
        self._get_param = original_get_param


def start_instance_refresh(self: Any) -> Any:
    group_name = self._get_param("AutoScalingGroupName")
    if group_name not in self.autoscaling_backend.autoscaling_groups:
        raise asg_models.ValidationError(f"AutoScalingGroup name not found - {group_name}")
    refresh_id = str(uuid.uuid4())
    preferences = self._get_param("Preferences", {}) or {}
    with lock:
        refreshes.setdefault(group_name, []).append({"InstanceRefreshId": refresh_id, "AutoScalingGroupName": group_name, "Preferences": preferences, "reads": 0})
    journal({"event": "refresh", "group": group_name, "instanceRefreshId": refresh_id, "preferences": preferences})
    return ActionResult({"InstanceRefreshId": refresh_id})


def describe_instance_refreshes(self: Any) -> Any:
    group_name = self._get_param("AutoScalingGroupName")
    wanted = set(self._get_param("InstanceRefreshIds", []) or [])
    answer = []
    with lock:
        for refresh in reversed(refreshes.get(group_name, [])):
            if wanted and refresh["InstanceRefreshId"] not in wanted:
                continue
            refresh["reads"] += 1
            done = refresh["reads"] > 1
            answer.append(
                {
                    "InstanceRefreshId": refresh["InstanceRefreshId"],
                    "AutoScalingGroupName": group_name,
                    "Status": "Successful" if done else "InProgress",
                    "PercentageComplete": 100 if done else 0,
                    "Preferences": refresh["Preferences"],
                }
            )
    return ActionResult({"InstanceRefreshes": answer})


original_get_permission = s3_models.FakeBucket.get_permission


def tls_only(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition") or {}
    values = (condition.get("Bool") or {}).get("aws:SecureTransport")
    return statement.get("Effect") == "Deny" and list(condition) == ["Bool"] and values in ("false", ["false"])


def get_permission(self: Any, action: str, resource: str) -> Any:
    if self.policy is None:
        return original_get_permission(self, action, resource)
    document = json.loads(self.policy.decode())
    statements = document.get("Statement") or []
    statements = statements if isinstance(statements, list) else [statements]
    kept = [statement for statement in statements if not tls_only(statement)]
    if len(kept) == len(statements):
        return original_get_permission(self, action, resource)
    if not kept:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**document, "Statement": kept})).is_action_permitted(action, resource)


asg_responses.AutoScalingResponse.create_auto_scaling_group = create_auto_scaling_group
s3_models.FakeBucket.get_permission = get_permission
asg_responses.AutoScalingResponse.complete_lifecycle_action = complete_lifecycle_action
asg_responses.AutoScalingResponse.start_instance_refresh = start_instance_refresh
asg_responses.AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
asg_models.FakeAutoScalingGroup.replace_autoscaling_group_instances = replace_autoscaling_group_instances
asg_models.FakeAutoScalingGroup.active_instances = active_instances
asg_models.FakeAutoScalingGroup.set_desired_capacity = set_desired_capacity
asg_models.FakeAutoScalingGroup.image_id = property(image_id)
asg_models.AutoScalingBackend.update_attached_target_groups = update_attached_target_groups
elbv2_models.ELBv2Backend.register_targets = register_targets
elbv2_models.ELBv2Backend.deregister_targets = deregister_targets
elbv2_models.FakeTargetGroup.health_for = health_for
ec2_amis.AmiBackend.create_image = create_image
lt_responses.LaunchTemplates.create_launch_template_version = create_launch_template_version
lt_responses.LaunchTemplates.create_launch_template = create_launch_template

if __name__ == "__main__":
    ssm_launcher.serve()
