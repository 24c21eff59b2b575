/**
 * What the shared tests need to know about a cloud, supplied by the cloud's own test folder
 * (test/clouds/<folder>/adapter.ts) and listed once below: shared tests ask the adapter instead of switching on
 * the cloud's name, so adding a cloud to the tests means one adapter file and one line here.
 */
import type fc from 'fast-check';
import type { CloudName } from '../../provider/clouds/registry';
import type { Image } from '../../provider/core/image';
import type { Emulator } from '../../provider/emulator/server';

/** A record as a crafting test writes it; each adapter turns it into its cloud's shape. */
export interface CraftedRecord {
  id: string;
  name: string;
  description?: string;
  created?: string;
}

/** An HTTP answer a loopback server sends. */
export interface CraftedAnswer {
  status: number;
  body: unknown;
}

/** What a cloud's normalizer makes of records a hostile server sends (one per API: clouds sharing an API share it). */
export interface HostileRecords {
  records: fc.Arbitrary<Record<string, unknown>>;
  /** An Image (or, for a cloud whose answer is one list, Images) or a typed error, nothing else. */
  normalize: (record: Record<string, unknown>) => Image[];
  /** Normalizations of records with `poison` in each field the normalizer reads. */
  poisoned: (poison: unknown) => (() => Image[])[];
}

export interface CloudTestAdapter {
  readonly cloud: CloudName;
  /** A region the cloud's built-in emulator catalog serves. */
  builtInRegion: (emulator: Emulator) => string;
  /** One page (or one answer) of a success holding these records, as the cloud would send it for `url`. */
  successAnswer: (url: URL, records: CraftedRecord[]) => CraftedAnswer;
  /** An error answer in the cloud's own shape whose message is `message`. */
  errorAnswer: (message: string) => CraftedAnswer;
  /** The image normalized from a record created at `value`; absent for clouds without creation times. */
  createdAt?: (value: string) => Image;
  /** Absent where another cloud of the same API covers it. */
  hostile?: HostileRecords;
  /** Emulator catalog entries in `region` for the push-down property: the real-answer corpus (test/fixtures/real),
   * each record once, plus records that exercise this cloud's push-down. */
  pushDownCorpus: (region: string) => unknown[];
}
