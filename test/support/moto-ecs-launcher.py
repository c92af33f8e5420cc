"""moto 5.2.1 with what the ecs target's Terraform needs and stock moto lacks, for the ecs tests (argv: --port N).

- Application Auto Scaling: ListTagsForResource, TagResource and UntagResource do not exist in moto, and the AWS
  provider retries the 500 for over 13 minutes on every aws_appautoscaling_target. This adds them, with tags kept per
  scalable-target ARN (and the Tags of RegisterScalableTarget stored as AWS stores them).

- Elastic Load Balancing: a new load balancer is active at once. moto answers "provisioning" to the first describe,
  and the provider's waiter then sleeps 30 s or more before it asks again (a minute per load balancer, per apply).

Nothing else is changed: what moto does not simulate (ECS deployments never progress, no tasks run, no target
registrations) stays as it is, and the tests that need rollout outcomes use a scripted stand-in instead.
"""

from __future__ import annotations

import json
import sys

from moto.applicationautoscaling import responses as aas_responses
from moto.elbv2 import models as elbv2_models
from moto.server import main

TAGS: dict[str, dict[str, str]] = {}


def _register_scalable_target(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    answer = _original_register(self)
    tags = self._get_param("Tags") or {}
    if tags:
        TAGS.setdefault(json.loads(answer)["ScalableTargetARN"], {}).update(tags)
    return answer


def _list_tags_for_resource(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    return json.dumps({"Tags": TAGS.get(self._get_param("ResourceARN"), {})})


def _tag_resource(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    TAGS.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    tags = TAGS.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


_original_register = aas_responses.ApplicationAutoScalingResponse.register_scalable_target
aas_responses.ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target
aas_responses.ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
aas_responses.ApplicationAutoScalingResponse.tag_resource = _tag_resource
aas_responses.ApplicationAutoScalingResponse.untag_resource = _untag_resource



def _create_load_balancer(self: elbv2_models.ELBv2Backend, *args: object, **kwargs: object) -> elbv2_models.FakeLoadBalancer:
    balancer = _original_create_load_balancer(self, *args, **kwargs)
    balancer.activate()
    return balancer


_original_create_load_balancer = elbv2_models.ELBv2Backend.create_load_balancer
elbv2_models.ELBv2Backend.create_load_balancer = _create_load_balancer

if __name__ == "__main__":
    port = sys.argv[sys.argv.index("--port") + 1] if "--port" in sys.argv else "5000"
    main(["-H", "127.0.0.1", "-p", port])
