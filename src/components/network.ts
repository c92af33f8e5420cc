import type { Component } from './component.js';

/**
 * The `network` module (VPC, public and private subnets over two or more zones, NAT, S3 and interface endpoints, flow
 * logs; or an existing VPC's ids), written once for every target that needs a network of its own: asg, ecs, eks.
 */
export const networkComponent: Component = {
  name: 'network',
  files: [{ from: 'terraform/modules/network', owner: 'managed' }],
};

/** The `alb` module (public Application Load Balancer, target groups, HTTPS with redirect), for asg and ecs. */
export const loadBalancerComponent: Component = {
  name: 'loadBalancer',
  files: [{ from: 'terraform/modules/alb', owner: 'managed' }],
};
