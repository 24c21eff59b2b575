/**
 * Memory is bounded per listing, not only per answer: a server that lists fresh IDs page after page, each page under
 * the answer cap, fails with a PagingError naming CLOUDIMAGES_MAX_LISTING_MB long before the heap runs out.
 */
import { lookupImages } from '../../provider/lookup';
import { PagingError } from '../../provider/core/errors';
import { MAX_LISTING_VARIABLE } from '../../provider/core/http/settings';
import { RequestSharing } from '../../provider/core/share';
import { BUILT_LOOKUP, runScript } from '../helpers/child';
import { localServer } from '../helpers/server';

/** An IMS server whose every page is full of fresh images with long names (kept in the results): it never ends. */
async function endlessIms(nameLength: number) {
  let next = 0;
  return localServer((req, res) => {
    const limit = Number(new URL(String(req.url), 'http://x').searchParams.get('limit')) || 25;
    const images = Array.from({ length: limit }, () => {
      const id = `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`;
      return {
        id,
        name: `image ${id} ${'n'.repeat(nameLength)}`,
        created_at: '2024-01-01T00:00:00Z',
        status: 'active',
        visibility: 'public',
        __imagetype: 'gold',
        __os_type: 'Linux',
        __os_bit: '64',
        __platform: 'Ubuntu',
        min_disk: 40,
      };
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ images }));
  });
}

const config = { huaweicloud: { authToken: 'iam-token-for-the-endless-test', projectId: 'project-1' } };

describe('an endless listing of fresh IDs', () => {
  it('fails with a PagingError naming CLOUDIMAGES_MAX_LISTING_MB once the lookup has read that much', async () => {
    const server = await endlessIms(1000);
    try {
      const err = await lookupImages(
        { cloud: 'huaweicloud', region: 'cn-north-4', endpoint: server.url },
        { config, env: { [MAX_LISTING_VARIABLE.name]: '2' }, sharing: new RequestSharing() },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PagingError);
      expect((err as Error).message).toContain('grew past 2 MiB in all, the limit set by CLOUDIMAGES_MAX_LISTING_MB');
      // About 2 MiB of pages of about 1 MiB each (and the listings in flight together): a handful of requests.
      expect(server.hits).toBeLessThan(12);
    } finally {
      await server.close();
    }
  });

  it('in a process with a 384 MiB heap, the bound (48 MiB here) ends it with a PagingError, not an out-of-memory abort', async () => {
    const server = await endlessIms(4000);
    try {
      const script = `
        const { lookupImages } = require(${JSON.stringify(BUILT_LOOKUP)});
        lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', endpoint: process.argv[1] }, { config: ${JSON.stringify(config)} })
          .then(() => console.log(JSON.stringify({ ok: true })), (e) => console.log(JSON.stringify({ ok: false, name: e.name, message: e.message })));`;
      const outcome = await runScript<{ ok: boolean; name?: string; message?: string }>(script, [server.url], {
        NODE_OPTIONS: '--max-old-space-size=384',
        [MAX_LISTING_VARIABLE.name]: '48',
      });
      expect(outcome).toMatchObject({ ok: false, name: 'PagingError' });
      expect(outcome.message).toContain('CLOUDIMAGES_MAX_LISTING_MB');
    } finally {
      await server.close();
    }
  }, 60_000);
});
