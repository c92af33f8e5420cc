import type { Target } from '../options/index.js';
import type { Component } from './component.js';
import { docsComponent } from './docs.js';
import { repoComponent } from './repo.js';
import { scriptsComponent } from './scripts.js';
import { serviceComponent } from './service.js';
import { terraformComponent } from './terraform.js';
import { workflowsComponent } from './workflows.js';

/** A target is a set of components; later targets (asg, ecs, eks) swap the runtime pieces and keep the rest. */
const targetComponents: Record<Target, readonly Component[]> = {
  ec2: [repoComponent, terraformComponent, workflowsComponent, scriptsComponent, serviceComponent, docsComponent],
};

export function components(target: Target): readonly Component[] {
  return targetComponents[target];
}
