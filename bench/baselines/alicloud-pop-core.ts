/**
 * What a user would write without cloudimages on Alibaba Cloud: the official `@alicloud/pop-core` RPC client
 * and its documented paging loop, `DescribeImages` with PageSize 100 and PageNumber 1, 2, … until every image
 * of TotalCount is read, one page after the other.
 */
import RPCClient from '@alicloud/pop-core';

export interface PopCoreListing {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  params: Record<string, string>;
}

interface DescribeImagesPage {
  TotalCount: number;
  Images: { Image: { ImageId: string }[] };
}

export class PopCoreBaseline {
  requests = 0;
  private readonly client: RPCClient;

  constructor(private readonly listing: PopCoreListing) {
    this.client = new RPCClient({
      endpoint: listing.endpoint,
      apiVersion: '2014-05-26',
      accessKeyId: listing.accessKeyId,
      accessKeySecret: listing.accessKeySecret,
    });
  }

  async listAll(): Promise<{ ImageId: string }[]> {
    const images: { ImageId: string }[] = [];
    for (let pageNumber = 1; pageNumber <= 1000; pageNumber++) {
      this.requests++;
      const page = await this.client.request<DescribeImagesPage>(
        'DescribeImages',
        { ...this.listing.params, PageNumber: pageNumber, PageSize: 100 },
        { method: 'GET', timeout: 30_000 },
      );
      images.push(...page.Images.Image);
      if (page.Images.Image.length === 0 || images.length >= page.TotalCount) return images;
    }
    throw new Error('more than 1000 pages');
  }
}
