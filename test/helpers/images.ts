import { Image, makeImage } from '../../provider/core/image';

/** A normalized image with sensible defaults; tests state only what matters to them. */
export function image(fields: Partial<Image> & { id: string }): Image {
  return makeImage({ name: fields.id, cloud: 'nscale', region: 'r1', ...fields });
}
