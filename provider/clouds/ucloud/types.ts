/**
 * The wire format of UCloud's UK8S node image list (`DescribeUK8SImage`): the API's constants, shared by the
 * client, the errors and the normalizer. The answer is read field by field (normalize.ts), untyped on purpose.
 */

export const DEFAULT_ENDPOINT = 'https://api.ucloud.cn';
export const OPERATION = 'DescribeUK8SImage';

/** The lists a DescribeUK8SImage success carries: the service's VM and bare-metal images, and the account's own. */
export const IMAGE_LISTS = ['ImageSet', 'PHostImageSet', 'CustomImageSet', 'CustomPHostImageSet'] as const;
