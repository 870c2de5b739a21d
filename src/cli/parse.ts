import { InvalidArgumentError } from "commander";

export function parseInteger(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}

export function parsePort(value: string): number {
  const port = parseInteger(value);
  if (port > 65535) throw new InvalidArgumentError(`a port is at most 65535, got ${port}`);
  return port;
}

export function parseAccountId(value: string): string {
  if (!/^[0-9]{12}$/.test(value)) throw new InvalidArgumentError(`an AWS account id is 12 digits, got "${value}"`);
  return value;
}
