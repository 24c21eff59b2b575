/** A program as a user writes it: a pinned ImageLock and a lookup, for the unit-test example (test/sdk/testing.test.ts). */
import * as cloudimages from '../../../sdk/index';

export const query: cloudimages.GetImageArgs = { cloud: 'nscale', region: '3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90', gpuModel: 'H100', mostRecent: true };

export const lock = new cloudimages.ImageLock('gpu-node', { query, pin: true });
export const newest = cloudimages.getImageOutput(query);
