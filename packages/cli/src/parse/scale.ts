import { InvalidArgumentError } from '@shoal/api';
import { parseReplicas } from './numbers.js';

export interface ScaleTarget {
  service: string;
  replicas: number;
}

/** Parses a `service scale` argument "SERVICE=REPLICAS". */
export function parseScaleArg(text: string): ScaleTarget {
  const i = text.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`invalid scale specifier "${text}": use SERVICE=REPLICAS, e.g. web=3`);
  return { service: text.slice(0, i), replicas: parseReplicas(text.slice(i + 1)) };
}
