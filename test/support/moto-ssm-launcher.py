"""moto 5.2.1 whose SSM Run Command really runs, for the deploy-script tests.

Stock moto marks every command Success at send time, never runs it, has no ListCommandInvocations and no
DescribeInstanceInformation. This launcher patches moto in-process, then serves it (argv: --port N):

- send-command validates like SSM does (document exists, parameters declared and matching allowedPattern /
  allowedValues, every instance Online, else InvalidInstanceId) and then runs each `aws:runShellScript` step of the
  document (`mainSteps[].inputs.runCommand`, `{{ Param }}` substituted) with /bin/sh, asynchronously, in a sandbox
  directory per instance: $MOTO_SSM_SANDBOX/<instance id>/ (cwd, HOME, TMPDIR, SANDBOX_DIR, INSTANCE_ID,
  DEPLOY_STATE_DIR=<sandbox>/state, DEPLOY_APP_DIR=<sandbox>/app, DEPLOY_UNIT_DIR=<sandbox>/systemd,
  AWS_ENDPOINT_URL=this server). The launcher's own environment (PATH included) is
  inherited, so tests put `docker`/`curl` stubs first on PATH. Exit code 0 → Success, otherwise Failed; a step running past its
  `timeoutSeconds` is killed → TimedOut / ExecutionTimedOut. A command that never finishes stays InProgress.
- The first $MOTO_SSM_IN_PROGRESS_READS (default 1) reads of each invocation answer InProgress, as real SSM does
  right after sending, so callers that stop at the first answer are caught.
- $MOTO_SSM_HOST_NICE (default 0): host runs start under `nice -n` that value. On AWS each instance runs on its own
  CPU; here they share the caller's, and the benchmark lowers their priority so that fifty of them do not slow the
  deploy script it times (they still finish: they get every cycle it leaves).
- list-command-invocations (with --details: CommandPlugins with Output = stdout, then stderr after SSM's
  "----------ERROR-------" separator, cut at 2,500 characters), get-command-invocation and list-commands answer the
  live state; the command's status is aggregated as SSM does (MaxErrors; Incomplete when delivery failed).
- describe-instance-information lists running EC2 instances, Online by default.

Test-only controls, as tags on the EC2 instance:
- MotoSsmPingStatus = ConnectionLost | Inactive: the instance is registered but not Online; Absent: not registered.
- MotoSsmDelivery = DeliveryTimedOut | Undeliverable | Terminated: the invocation ends so without running.

Every send and every invocation start/end is appended as one JSON line to $MOTO_SSM_SANDBOX/journal.jsonl, so tests
can assert what was sent and in which order. The server's own log goes to $MOTO_SSM_SANDBOX/launcher.log.
"""

from __future__ import annotations

import atexit
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from moto.ec2 import ec2_backends
from moto.server import main
from moto.ssm import models as ssm_models
from moto.ssm import responses as ssm_responses
from moto.ssm.exceptions import SSMException

SANDBOX_ROOT = os.environ.get("MOTO_SSM_SANDBOX") or tempfile.mkdtemp(prefix="moto-ssm-")
IN_PROGRESS_READS = int(os.environ.get("MOTO_SSM_IN_PROGRESS_READS", "1"))
HOST_NICE = int(os.environ.get("MOTO_SSM_HOST_NICE", "0"))
OUTPUT_LIMIT = 2500
PING_TAG = "MotoSsmPingStatus"
DELIVERY_TAG = "MotoSsmDelivery"
# How SSM reports an invocation that never ran: (Status, StatusDetails).
DELIVERY_FAILURES = {
    "DeliveryTimedOut": ("TimedOut", "DeliveryTimedOut"),
    "Undeliverable": ("Failed", "Undeliverable"),
    "Terminated": ("Failed", "Terminated"),
}
TERMINAL = {"Success", "Failed", "TimedOut", "Cancelled"}

lock = threading.RLock()
runs: dict[tuple[str, str], "Run"] = {}
live_processes: set[subprocess.Popen[bytes]] = set()


def journal(event: dict[str, Any]) -> None:
    with lock, open(os.path.join(SANDBOX_ROOT, "journal.jsonl"), "a", encoding="utf-8") as out:
        out.write(json.dumps({"t": time.time(), **event}) + "\n")


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class InvalidInstanceId(SSMException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidInstanceId", message)


class InvalidParameters(SSMException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidParameters", message)


def running_instances(account_id: str, region: str) -> list[Any]:
    backend = ec2_backends[account_id][region]
    return [i for i in backend.all_instances() if i.state == "running"]


def instance_tags(account_id: str, region: str, instance_id: str) -> dict[str, str]:
    return dict(ec2_backends[account_id][region].tags.get(instance_id, {}))


def ping_status(account_id: str, region: str, instance_id: str) -> str:
    """Online, ConnectionLost, Inactive, or Absent (not registered with SSM at all)."""
    return instance_tags(account_id, region, instance_id).get(PING_TAG, "Online")


def document_of(backend: Any, name: str) -> dict[str, Any]:
    if name == "AWS-RunShellScript" and name not in backend._documents:
        return {
            "schemaVersion": "2.2",
            "parameters": {"commands": {"type": "StringList"}},
            "mainSteps": [{"action": "aws:runShellScript", "name": "runShellScript", "inputs": {"runCommand": ["{{ commands }}"]}}],
        }
    documents = backend._documents.get(name)
    if not documents:
        raise ssm_models.InvalidDocument("The specified document does not exist.")
    return documents.get_default_version().content_json


def resolve_parameters(document: dict[str, Any], given: dict[str, list[str]]) -> dict[str, str]:
    declared: dict[str, Any] = document.get("parameters") or {}
    for name in given:
        if name not in declared:
            raise InvalidParameters(f"Parameter {name} is not declared by the document.")
    values: dict[str, str] = {}
    for name, spec in declared.items():
        if name in given:
            value = "\n".join(given[name])
        elif "default" in spec:
            default = spec["default"]
            value = "\n".join(default) if isinstance(default, list) else str(default)
        else:
            raise InvalidParameters(f"Parameter {name} is required.")
        for item in given.get(name, [value]):
            pattern = spec.get("allowedPattern")
            if pattern and not re.search(pattern, item):
                raise InvalidParameters(f"Parameter \"{name}\" \"{item}\" failed to satisfy constraint: allowedPattern {pattern}")
            allowed = spec.get("allowedValues")
            if allowed and item not in allowed:
                raise InvalidParameters(f"Parameter \"{name}\" \"{item}\" failed to satisfy constraint: allowedValues")
        values[name] = value
    return values


def substitute(text: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise InvalidParameters(f"The document references an undeclared parameter {name}.")
        return values[name]

    return re.sub(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}", replace, text)


def instance_sandbox(instance_id: str) -> str:
    """The instance's folder (its "disk"): created on first use, with a tmp/ inside."""
    sandbox = os.path.join(SANDBOX_ROOT, instance_id)
    os.makedirs(os.path.join(sandbox, "tmp"), exist_ok=True)
    return sandbox


def instance_env(sandbox: str, instance_id: str) -> dict[str, str]:
    """What a process on the instance sees: the launcher's environment (PATH with the stand-ins first), its own folder
    as HOME and TMPDIR, and the folders host scripts keep their state in pointed into it."""
    return {
        **os.environ,
        "SANDBOX_DIR": sandbox,
        "INSTANCE_ID": instance_id,
        "DEPLOY_STATE_DIR": os.path.join(sandbox, "state"),
        "DEPLOY_APP_DIR": os.path.join(sandbox, "app"),
        "DEPLOY_UNIT_DIR": os.path.join(sandbox, "systemd"),
        "HOME": sandbox,
        "TMPDIR": os.path.join(sandbox, "tmp"),
        # The host's own AWS calls (an ECR login, a release download) go to this server too.
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{os.environ['MOTO_PORT']}" if os.environ.get("MOTO_PORT") else os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
    }


class Run:
    """One invocation: a command on one instance, run on a daemon thread so the server never blocks."""

    def __init__(self, command: Any, instance_id: str, steps: list[tuple[str, str, int]]) -> None:
        self.command = command
        self.instance_id = instance_id
        self.steps = steps
        self.status = "InProgress"
        self.details = "InProgress"
        self.response_code = -1
        self.stdout = ""
        self.stderr = ""
        self.started = now()
        self.finished: datetime.datetime | None = None
        self.reads = 0
        self.plugin_name = steps[0][0] if steps else "aws:runShellScript"

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def _finish(self, status: str, details: str, code: int) -> None:
        with lock:
            self.status, self.details, self.response_code, self.finished = status, details, code, now()
        journal({"event": "end", "commandId": self.command.command_id, "instanceId": self.instance_id, "status": status, "details": details, "responseCode": code})

    def _run(self) -> None:
        account, region = self.command.account_id, self.command.backend_region
        journal({"event": "start", "commandId": self.command.command_id, "instanceId": self.instance_id})
        delivery = instance_tags(account, region, self.instance_id).get(DELIVERY_TAG)
        if delivery in DELIVERY_FAILURES:
            status, details = DELIVERY_FAILURES[delivery]
            self._finish(status, details, -1)
            return
        sandbox = instance_sandbox(self.instance_id)
        env = instance_env(sandbox, self.instance_id)
        for name, script, timeout in self.steps:
            self.plugin_name = name
            path = os.path.join(sandbox, f"_script-{self.command.command_id}-{name}.sh")
            with open(path, "w", encoding="utf-8") as out:
                out.write(script)
            argv = ["nice", "-n", str(HOST_NICE), "/bin/sh", path] if HOST_NICE else ["/bin/sh", path]
            process = subprocess.Popen(argv, cwd=sandbox, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            with lock:
                live_processes.add(process)
            try:
                out_bytes, err_bytes = process.communicate(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                kill_group(process)
                out_bytes, err_bytes = process.communicate()
                timed_out = True
            finally:
                with lock:
                    live_processes.discard(process)
            with lock:
                self.stdout += out_bytes.decode("utf-8", "replace")
                self.stderr += err_bytes.decode("utf-8", "replace")
            if timed_out:
                self._finish("TimedOut", "ExecutionTimedOut", -1)
                return
            if process.returncode != 0:
                with lock:
                    # What the SSM agent appends for a failing runShellScript.
                    self.stderr += f"failed to run commands: exit status {process.returncode}\n"
                self._finish("Failed", "Failed", process.returncode)
                return
        self._finish("Success", "Success", 0)

    def visible(self, count_read: bool) -> tuple[str, str, int]:
        """(Status, StatusDetails, ResponseCode) as a caller sees it now; early reads answer InProgress."""
        with lock:
            if count_read:
                self.reads += 1
            reads = self.reads if count_read else self.reads + 1
            if reads <= IN_PROGRESS_READS or self.status not in TERMINAL:
                return "InProgress", "InProgress", -1
            return self.status, self.details, self.response_code

    def output(self) -> str:
        with lock:
            text = self.stdout + (f"\n----------ERROR-------\n{self.stderr}" if self.stderr else "")
        return text if len(text) <= OUTPUT_LIMIT else text[:OUTPUT_LIMIT] + "\n---Output truncated---"

    def invocation(self, details: bool) -> dict[str, Any]:
        status, status_details, code = self.visible(count_read=True)
        command = self.command
        item: dict[str, Any] = {
            "CommandId": command.command_id,
            "InstanceId": self.instance_id,
            "InstanceName": "",
            "Comment": command.comment,
            "DocumentName": command.document_name,
            "DocumentVersion": "1",
            "RequestedDateTime": command.requested_date_time,
            "Status": status,
            "StatusDetails": status_details,
            "StandardOutputUrl": "",
            "StandardErrorUrl": "",
            "CommandPlugins": [],
        }
        if details:
            terminal = status in TERMINAL
            item["CommandPlugins"] = [
                {
                    "Name": self.plugin_name,
                    "Status": status,
                    "StatusDetails": status_details,
                    "ResponseCode": code,
                    "ResponseStartDateTime": self.started,
                    **({"ResponseFinishDateTime": self.finished} if terminal and self.finished else {}),
                    "Output": self.output() if terminal else "",
                    "StandardOutputUrl": "",
                    "StandardErrorUrl": "",
                }
            ]
        return item


def kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@atexit.register
def kill_all() -> None:
    with lock:
        for process in list(live_processes):
            kill_group(process)


def command_runs(command: Any) -> list[Run]:
    with lock:
        return [runs[(command.command_id, i)] for i in command.instance_ids if (command.command_id, i) in runs]


def max_errors_of(command: Any, total: int) -> int:
    value = str(command.max_errors or "0")
    if value.endswith("%"):
        return int(total * int(value[:-1]) / 100)
    return int(value)


def aggregate(command: Any) -> tuple[str, str, int, int, int]:
    """The command's (Status, StatusDetails, CompletedCount, ErrorCount, DeliveryTimedOutCount), as SSM aggregates."""
    seen = [run.visible(count_read=False) for run in command_runs(command)]
    completed = sum(1 for status, _, _ in seen if status in TERMINAL)
    errors = sum(1 for status, details, _ in seen if status == "Failed" or details == "ExecutionTimedOut")
    delivery = sum(1 for _, details, _ in seen if details == "DeliveryTimedOut")
    if completed < len(seen):
        return "InProgress", "InProgress", completed, errors, delivery
    if errors > max_errors_of(command, len(seen)):
        return "Failed", "Failed", completed, errors, delivery
    if all(status == "Success" for status, _, _ in seen):
        return "Success", "Success", completed, errors, delivery
    # Delivery timeouts and tolerated errors: SSM reports the command Incomplete.
    return "Failed", "Incomplete", completed, errors, delivery


# --- patches -------------------------------------------------------------------------------------------------------

original_send_command = ssm_models.SimpleSystemManagerBackend.send_command
original_response_object = ssm_models.Command.response_object


def send_command(self: Any, **kwargs: Any) -> Any:
    document_name = kwargs.get("document_name")
    document = document_of(self, document_name)
    values = resolve_parameters(document, kwargs.get("parameters") or {})
    instance_ids = list(dict.fromkeys(kwargs.get("instance_ids") or []))
    if not instance_ids:
        raise InvalidParameters("InstanceIds is required (Targets are not emulated).")
    known = {i.id for i in running_instances(self.account_id, self.region_name)}
    not_online = [i for i in instance_ids if i not in known or ping_status(self.account_id, self.region_name, i) != "Online"]
    if not_online:
        raise InvalidInstanceId(f"Instances [[{', '.join(not_online)}]] not in a valid state for account {self.account_id}")
    steps: list[tuple[str, str, int]] = []
    for step in document.get("mainSteps") or []:
        if step.get("action") != "aws:runShellScript":
            raise InvalidParameters(f"The launcher only runs aws:runShellScript steps, not {step.get('action')}.")
        inputs = step.get("inputs") or {}
        commands = inputs.get("runCommand") or []
        script = substitute("\n".join(commands) if isinstance(commands, list) else str(commands), values)
        steps.append((step.get("name") or "runShellScript", script + "\n", int(inputs.get("timeoutSeconds") or 3600)))
    # Stock moto adds every instance of the region when Targets is empty, and extends the list it is given.
    command = original_send_command(self, **{**kwargs, "instance_ids": list(instance_ids)})
    command.instance_ids = instance_ids
    journal({"event": "send", "commandId": command.command_id, "documentName": document_name, "instanceIds": instance_ids, "parameters": kwargs.get("parameters") or {}})
    for instance_id in instance_ids:
        run = Run(command, instance_id, steps)
        with lock:
            runs[(command.command_id, instance_id)] = run
        run.start()
    return command


def response_object(self: Any) -> dict[str, Any]:
    response = original_response_object(self)
    status, details, completed, errors, delivery = aggregate(self)
    response.update(
        Status=status,
        StatusDetails=details,
        CompletedCount=completed,
        ErrorCount=errors,
        DeliveryTimedOutCount=delivery,
        TargetCount=len(self.instance_ids),
    )
    return response


def get_invocation(self: Any, instance_id: str, plugin_name: str | None) -> dict[str, Any]:
    with lock:
        run = runs.get((self.command_id, instance_id))
    if run is None or (plugin_name is not None and plugin_name != run.plugin_name):
        raise SSMException("InvocationDoesNotExist", "An error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation")
    status, details, code = run.visible(count_read=True)
    terminal = status in TERMINAL
    with lock:
        stdout, stderr = (run.stdout, run.stderr) if terminal else ("", "")
    return {
        "CommandId": self.command_id,
        "InstanceId": instance_id,
        "Comment": self.comment,
        "DocumentName": self.document_name,
        "DocumentVersion": "1",
        "PluginName": run.plugin_name,
        "ResponseCode": code,
        "ExecutionStartDateTime": run.started.isoformat(),
        "ExecutionElapsedTime": "",
        "ExecutionEndDateTime": run.finished.isoformat() if terminal and run.finished else "",
        "Status": status,
        "StatusDetails": details,
        "StandardOutputContent": stdout[:24000],
        "StandardOutputUrl": "",
        "StandardErrorContent": stderr[:8000],
        "StandardErrorUrl": "",
    }


def list_command_invocations(self: Any) -> Any:
    backend = self.ssm_backend
    command_id = self._get_param("CommandId")
    instance_id = self._get_param("InstanceId")
    details = bool(self._get_param("Details", False))
    commands = [backend.get_command_by_id(command_id)] if command_id else list(backend._commands)
    items = []
    for command in commands:
        for run in command_runs(command):
            if instance_id and run.instance_id != instance_id:
                continue
            items.append(run.invocation(details))
    return ssm_responses.ActionResult({"CommandInvocations": items})


def describe_instance_information(self: Any) -> Any:
    account, region = self.current_account, self.region
    wanted_ids: set[str] | None = None
    wanted_ping: set[str] | None = None
    for item in self._get_param("Filters") or []:
        if item.get("Key") == "InstanceIds":
            wanted_ids = set(item.get("Values") or [])
        elif item.get("Key") == "PingStatus":
            wanted_ping = set(item.get("Values") or [])
    for item in self._get_param("InstanceInformationFilterList") or []:
        if item.get("key") == "InstanceIds":
            wanted_ids = set(item.get("valueSet") or [])
        elif item.get("key") == "PingStatus":
            wanted_ping = set(item.get("valueSet") or [])
    found = []
    for instance in running_instances(account, region):
        ping = ping_status(account, region, instance.id)
        if ping == "Absent" or (wanted_ids is not None and instance.id not in wanted_ids):
            continue
        if wanted_ping is not None and ping not in wanted_ping:
            continue
        found.append(
            {
                "InstanceId": instance.id,
                "PingStatus": ping,
                "LastPingDateTime": now(),
                "AgentVersion": "3.3.0.0",
                "IsLatestVersion": True,
                "PlatformType": "Linux",
                "PlatformName": "Amazon Linux",
                "PlatformVersion": "2023",
                "ResourceType": "EC2Instance",
                "IPAddress": instance.private_ip,
                "ComputerName": f"ip-{instance.private_ip.replace('.', '-')}.ec2.internal",
            }
        )
    found.sort(key=lambda item: item["InstanceId"])
    return ssm_responses.ActionResult({"InstanceInformationList": found})


ssm_models.SimpleSystemManagerBackend.send_command = send_command
ssm_models.Command.response_object = response_object
ssm_models.Command.get_invocation = get_invocation
ssm_responses.SimpleSystemManagerResponse.list_command_invocations = list_command_invocations
ssm_responses.SimpleSystemManagerResponse.describe_instance_information = describe_instance_information

def serve() -> None:
    """Serves moto with the patches applied (argv: --port N [--host H]); the log goes to $MOTO_SSM_SANDBOX/launcher.log."""
    os.makedirs(SANDBOX_ROOT, exist_ok=True)
    # Log to a file, not the pipes of the process that started us: a test blocked in a synchronous child process stops
    # reading them, and once they are full every request thread blocks on its access-log line.
    log = os.open(os.path.join(SANDBOX_ROOT, "launcher.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    arguments = sys.argv[1:]
    if "--port" in arguments:
        # Processes on the instances call this server: they need its port.
        os.environ.setdefault("MOTO_PORT", arguments[arguments.index("--port") + 1])
    if "--host" not in arguments and "-H" not in arguments:
        arguments = ["--host", "127.0.0.1", *arguments]
    main(arguments)


if __name__ == "__main__":
    serve()
