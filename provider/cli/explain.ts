/** `--explain`: how selection went, for stderr (stdout stays the result alone). */
import type { ImagesResult, LookupOutcome } from '../lookup';
import { ChoiceRule, formatFunnel } from '../core/select';

/** What the reason alone does not say (each reason already names its rule: said once, not twice). */
const CONTEXT: Partial<Record<ChoiceRule, string>> = {
  'name-version': 'no creation times, so ',
};

/** `funnel: 386 in the catalog → … → nameRegex: 12`, then `rule: …` (getImage) or `order: …` (getImages); nothing
 * without an explanation. */
export function explanationLines(outcome: LookupOutcome<unknown>): string[] {
  if (!outcome.explanation) return [];
  const lines = [`funnel: ${formatFunnel(outcome.explanation)}`];
  if (outcome.rule) lines.push(`rule: ${CONTEXT[outcome.rule] ?? ''}${outcome.reason}`);
  const listed = (outcome.result as Partial<ImagesResult>).images;
  if (listed && listed.length > 1) {
    const timed = listed.filter((i) => i.createdAt !== null).length;
    lines.push(
      `order: ${[
        timed > 0 && `${timed === listed.length ? '' : `${timed} with a creation time `}newest first by creation time`,
        timed < listed.length &&
          `${timed > 0 ? `then ${listed.length - timed} without one ` : 'no creation times: '}by OS version, then the version numbers in the name, highest first`,
      ]
        .filter(Boolean)
        .join(', ')}; ties by name, then ID`,
    );
  }
  return lines;
}
