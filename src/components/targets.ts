import type { Target } from '../options/index.js';
import type { Component } from './component.js';
import { asgComputeComponent } from './compute-asg.js';
import { ec2ComputeComponent } from './compute-ec2.js';
import { ecsComputeComponent } from './compute-ecs.js';
import { eksComputeComponent } from './compute-eks.js';
import { docsComponent } from './docs.js';
import { frontendComponent } from './frontend.js';
import { imageRegistryComponent } from './image-registry.js';
import { loadBalancerComponent, networkComponent } from './network.js';
import { repoComponent } from './repo.js';
import { asgScriptsComponent } from './scripts-asg.js';
import { ecsScriptsComponent } from './scripts-ecs.js';
import { scriptsComponent } from './scripts.js';
import { serviceComponent } from './service.js';
import { terraformComponent } from './terraform.js';
import { workflowsComponent } from './workflows.js';

/**
 * A target is a set of components. Every target has one component per role (repo, terraform, workflows, scripts,
 * service, docs), shared where the files are the same; files every target has in its own version live under
 * `templates/_targets/<target>/` (rules with `ofTarget`), and shared templates call the target's pieces with
 * `{{> (targetPartial "…")}}` (`templates/_partials/targets/<target>/`). A target adds the modules that differ.
 */
const targetComponents: Record<Target, readonly Component[]> = {
  ec2: [repoComponent, terraformComponent, imageRegistryComponent, ec2ComputeComponent, workflowsComponent, scriptsComponent, serviceComponent, docsComponent],
  ecs: [
    repoComponent,
    terraformComponent,
    imageRegistryComponent,
    networkComponent,
    loadBalancerComponent,
    ecsComputeComponent,
    workflowsComponent,
    ecsScriptsComponent,
    serviceComponent,
    frontendComponent,
    docsComponent,
  ],
  asg: [repoComponent, terraformComponent, networkComponent, loadBalancerComponent, asgComputeComponent, workflowsComponent, asgScriptsComponent, serviceComponent, docsComponent],
  eks: [repoComponent, terraformComponent, imageRegistryComponent, networkComponent, eksComputeComponent, workflowsComponent, scriptsComponent, serviceComponent, docsComponent],
};

export function components(target: Target): readonly Component[] {
  return targetComponents[target];
}
