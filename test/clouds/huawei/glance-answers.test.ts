/**
 * OpenStack Glance's own answer (test/fixtures/real/glance, sources in SOURCES.md) read by the IMS client, which is
 * what IMS returns for records without its extensions: nothing guessed from what is missing (issue 24).
 */
import { localServer } from '../../helpers/server';
import { realFiles, realJson, replayOptions } from '../../helpers/real-answers';
import { lookupImages } from '../../../provider/lookup';
import { warningsOf } from '../../../provider/core/image';

type Body = { images: Record<string, unknown>[] };

describe.each(realFiles('glance'))('%s through the IMS client', (file) => {
  const body = realJson<Body>('glance', file);

  it('lists the machine images only (no aki/ari), with the visibility Glance states and no machine type guessed', async () => {
    // A server that applies no filter: every listing gets the whole answer, so one listing (public) is asked for.
    const server = await localServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    try {
      const config = { huaweicloud: { endpoint: server.url, authToken: 'replay-token-123456' } };
      const { result } = await lookupImages({ cloud: 'huaweicloud', region: 'r', visibility: 'public' }, replayOptions(config));
      const machine = body.images.filter((r) => !['aki', 'ari'].includes(String(r.disk_format)) && !['aki', 'ari'].includes(String(r.container_format)));
      expect(machine.length).toBeLessThan(body.images.length);
      expect(result.ids.sort()).toEqual(machine.map((r) => String(r.id)).sort());
      for (const image of result.images) {
        const raw = body.images.find((r) => r.id === image.id)!;
        expect(image).toMatchObject({
          name: raw.name,
          visibility: raw.visibility,
          status: 'available',
          machineType: 'unknown',
          createdAt: raw.created_at,
          osDistro: null,
          osVersion: null,
        });
        expect(warningsOf(image)).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });
});
