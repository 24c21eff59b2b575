import fc from 'fast-check';
import { collectWarnings, makeImage, MAX_TEXT_LENGTH, readCreationTime, warningsOf, type Image } from '../../provider/core/image';
import { CloudApiError } from '../../provider/core/errors';
import { registerSecret } from '../../provider/core/redact';
import { hostileString } from '../helpers/hostile';

const base = { id: 'img-1', name: 'ubuntu', cloud: 'nscale' as const, region: 'r1' };

describe('makeImage: every normalized image is bounded and masked', () => {
  it('cuts text past 4 KiB, with a warning naming the image and the field', () => {
    const image = makeImage({ ...base, name: 'n'.repeat(200_000), description: 'd'.repeat(MAX_TEXT_LENGTH) });
    expect(image.name).toHaveLength(MAX_TEXT_LENGTH);
    expect(image.name!.endsWith('…')).toBe(true);
    expect(image.description).toHaveLength(MAX_TEXT_LENGTH);
    expect(warningsOf(image)).toEqual([`image "img-1": name is 200000 characters long; cut to ${MAX_TEXT_LENGTH}`]);
  });

  it('refuses an ID too long to be one instead of cutting it into another ID', () => {
    expect(() => makeImage({ ...base, id: 'i'.repeat(MAX_TEXT_LENGTH + 1) })).toThrow(CloudApiError);
  });

  it('masks a registered secret that a server put into a name, a tag or a description', () => {
    registerSecret('nsq_secret_in_a_name_123');
    const image = makeImage({ ...base, name: 'ubuntu nsq_secret_in_a_name_123', tags: { k: 'nsq_secret_in_a_name_123' } });
    expect(JSON.stringify(image)).not.toContain('nsq_secret_in_a_name_123');
    expect(image.name).toBe('ubuntu ***');
  });

  it('keeps __proto__ and constructor as plain tag keys', () => {
    const tags = JSON.parse('{"__proto__":"x","constructor":"y","b":"z"}') as Record<string, string>;
    const image = makeImage({ ...base, tags });
    expect(Object.keys(image.tags)).toEqual(['__proto__', 'b', 'constructor']);
    expect(image.tags.__proto__).toBe('x');
    expect((JSON.parse(JSON.stringify(image)) as Image).tags).toEqual({ b: 'z', constructor: 'y', ['__proto__']: 'x' });
  });

  it('keeps a normalizer’s notes with the image, and a lookup reports a bounded number of them', () => {
    const notes: string[] = [];
    expect(readCreationTime('image-3', 'CreationTime', notes)).toBeNull();
    expect(readCreationTime('2023-02-22T12:04:13', 'CreationTime', notes)).toBe('2023-02-22T12:04:13Z');
    const image = makeImage({ ...base, id: 'img-\u001b[2J' }, notes);
    expect(warningsOf(image)).toEqual([
      'image "img-\\x1b[2J": CreationTime "image-3" is not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss with an optional fraction and zone); it is treated as no creation time',
    ]);
    const many = Array.from({ length: 30 }, (_, i) => makeImage({ ...base, id: `i${i}` }, ['odd']));
    expect(collectWarnings(many)).toHaveLength(21);
    expect(collectWarnings(many)[20]).toBe('10 more warning(s) about how image records were read');
  });

  it('never throws anything but CloudApiError and never keeps more than 4 KiB in a field, for hostile text (property)', () => {
    fc.assert(
      fc.property(hostileString, hostileString, hostileString, fc.dictionary(hostileString, hostileString, { maxKeys: 3 }), (id, name, description, tags) => {
        let image;
        try {
          image = makeImage({ ...base, id, name, description, tags, gpu: { supported: true, vendor: name, driver: null, models: [description] } });
        } catch (err) {
          expect(err).toBeInstanceOf(CloudApiError);
          return;
        }
        const strings = [
          image.id,
          image.name,
          image.description,
          image.gpu.vendor,
          ...image.gpu.models,
          ...Object.keys(image.tags),
          ...Object.values(image.tags),
        ];
        for (const s of strings) expect(s?.length ?? 0).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      }),
      { numRuns: 300 },
    );
  });
});
