/**
 * Compiled by test/sdk/types.test.ts (and by `npm run typecheck`): the query the policy helpers take is typed as
 * getImage's arguments, so a misspelt argument name or value is a compile error. Each `@ts-expect-error` fails the
 * build if the line below it compiles.
 */
import type { GetImageArgs } from '../../../sdk/index';
import { checkImageId, imageIdPolicy, PolicyResource } from '../../../sdk/policy/index';

const resources = { 'alicloud:ecs/instance:Instance': 'imageId' };

export const good = imageIdPolicy({ name: 'p', resources, query: { cloud: 'alicloud', region: 'cn-hangzhou', architecture: 'x86_64', visibility: 'public' } });
export const derived = imageIdPolicy({
  name: 'p',
  resources,
  query: (r: PolicyResource) => (r.props.region ? { cloud: 'alicloud', region: r.props.region as string } : undefined),
});
export const shared: GetImageArgs = { cloud: 'nscale', gpuModel: 'H100', mostRecent: true };
export const reused = imageIdPolicy({ name: 'p', resources, query: shared, requireMostRecent: true });

// @ts-expect-error: "archtecture" is not an argument
export const name = imageIdPolicy({ name: 'p', resources, query: { cloud: 'alicloud', archtecture: 'x86_64' } });
// @ts-expect-error: "alicoud" is not a cloud
export const cloud = imageIdPolicy({ name: 'p', resources, query: { cloud: 'alicoud' } });
// @ts-expect-error: "sparc" is not an architecture
export const value = imageIdPolicy({ name: 'p', resources, query: () => ({ cloud: 'alicloud', architecture: 'sparc' }) });
// @ts-expect-error: any object no longer passes as a query
export const untyped = imageIdPolicy({ name: 'p', resources, query: {} as Record<string, unknown> });

export async function check(): Promise<void> {
  // @ts-expect-error: "osDistor" is not an argument
  await checkImageId('m-1', { query: { cloud: 'alicloud', osDistor: 'ubuntu' } });
  // @ts-expect-error: "friends" is not a visibility
  await checkImageId('m-1', { query: { cloud: 'alicloud', visibility: ['public', 'friends'] } });
}
