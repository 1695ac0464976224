import { InvalidArgumentError } from '@shoal/api';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const MAX_NAME_LENGTH = 63;

/** Validates a service name as the manager does, so a bad name fails before any call. */
export function parseServiceName(text: string): string {
  if (!NAME_RE.test(text) || text.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(
      `invalid service name "${text}": use 1 to ${MAX_NAME_LENGTH} letters, digits, '_', '.' or '-', starting with a letter or digit`);
  }
  return text;
}
