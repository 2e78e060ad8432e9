/** A Dockerfile read the way the builder reads it, as far as these checks need: stages of instructions. */

export interface Instruction {
  /** Upper-cased: FROM, RUN, ENV, ... */
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/**
 * Joins `\` continuations and drops comment lines (also those inside a continuation, as the builder does), then splits
 * at every FROM. Heredocs and parser directives other than the default escape character are not supported.
 */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue;
    const continued = /\\\s*$/.test(raw);
    pending += continued ? raw.replace(/\\\s*$/, ' ') : raw;
    if (continued) continue;
    if (pending.trim() !== '') logical.push(pending.trim());
    pending = '';
  }
  if (pending.trim() !== '') logical.push(pending.trim());

  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    const keyword = (m?.[1] ?? '').toUpperCase();
    const args = m?.[2] ?? '';
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: from?.[1] ?? '', name: from?.[2], instructions: [] });
    } else {
      const current = stages[stages.length - 1];
      if (current === undefined) continue; // ARG before the first FROM
      current.instructions.push({ keyword, args });
    }
  }
  return stages;
}

export const instructionsOf = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((i) => i.keyword === keyword);

/** Shell-like words: blanks separate, double or single quotes group (and are removed). */
function shellWords(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((m) => m[0].replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
}

/** Every variable the stage's ENV instructions set, in both forms: `ENV A=1 B=2` and the legacy `ENV A 1`. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructionsOf(stage, 'ENV')) {
    const first = /^([^\s=]+)(=?)/.exec(args);
    if (first?.[1] === undefined) continue;
    if (first[2] === '') {
      env[first[1]] = args.slice(first[1].length).trim();
      continue;
    }
    for (const word of shellWords(args)) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return env;
}

/** The exec form `["node", "main.js"]` as its words; undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** What a `HEALTHCHECK [--options] CMD ...` runs: the text after CMD (exec form joined by blanks). */
export function healthcheckCommand(args: string): string | undefined {
  const m = /(?:^|\s)CMD\s+(.*)$/i.exec(args);
  if (m?.[1] === undefined) return undefined;
  return execForm(m[1])?.join(' ') ?? m[1];
}

/** The ports of EXPOSE instructions, protocol suffix dropped. */
export const exposedPorts = (stage: Stage): number[] =>
  instructionsOf(stage, 'EXPOSE').flatMap(({ args }) => shellWords(args).map((p) => Number(p.replace(/\/(tcp|udp)$/, ''))));
