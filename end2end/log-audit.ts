import fs from 'node:fs';
import { logFiles } from './playwright.config';

/** A mainland mobile number standing on its own. */
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
/** A resident ID number standing on its own. */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

/** Every string in a log line's fields but its time. */
function strings(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'timestamp' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, k));
  }
  return [];
}

/**
 * After the whole run: the backends' logs (JSON lines, see playwright.config.ts) hold no phone number and no ID
 * number. Development mode logs SMS codes, with the number masked; request paths have such numbers masked. The
 * codes themselves are looked for by the test that knows them (application.spec.ts).
 */
export default function auditLogs() {
  const leaks: string[] = [];
  for (const file of logFiles) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let fields: unknown;
      try {
        fields = JSON.parse(line);
      } catch {
        fields = line;
      }
      if (strings(fields).some((s) => PHONE.test(s) || ID_NUMBER.test(s))) leaks.push(`${file}: ${line}`);
    }
  }
  if (leaks.length > 0) {
    throw new Error(`the backend logged phone or ID numbers:\n${leaks.slice(0, 20).join('\n')}`);
  }
}
