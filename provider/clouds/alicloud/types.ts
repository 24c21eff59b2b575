/**
 * The wire format of Alibaba Cloud ECS DescribeImages (API version 2014-05-26): the API's constants and the record
 * as the service sends it, shared by the client and the normalizer.
 */

export const DEFAULT_ENDPOINT = 'https://ecs.{region}.aliyuncs.com';
export const OPERATION = 'DescribeImages';
export const API_VERSION = '2014-05-26';
/** The largest PageSize DescribeImages accepts. */
export const PAGE_SIZE = 100;

/** One record as DescribeImages returns it (only the fields we read are typed). */
export interface AlicloudImageRecord {
  ImageId: string;
  ImageName?: string;
  ImageFamily?: string;
  Description?: string;
  OSName?: string;
  OSNameEn?: string;
  OSType?: string;
  Platform?: string;
  Architecture?: string;
  Size?: number | string;
  Status?: string;
  CreationTime?: string;
  ImageOwnerAlias?: string;
  Tags?: { Tag?: { TagKey?: string; TagValue?: string }[] };
  [field: string]: unknown;
}
