/**
 * What a user would write without cloudimages on Huawei Cloud: the official `@huaweicloud/huaweicloud-sdk-core`
 * credentials (BasicCredentials, whose processAuthRequest runs the SDK's AKSKSigner, SDK-HMAC-SHA256) and a
 * plain marker loop over `GET /v2/cloudimages`: `marker` = the last ID, until a page shorter than `limit`.
 * `limit` defaults to the service's own default (500), which is what a loop that does not set it gets.
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder';

export interface HuaweiListing {
  /** e.g. http://127.0.0.1:port/huaweicloud/cn-north-4 (the emulator) or https://ims.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  projectId: string;
  params: Record<string, string>;
  /** The page size the loop asks for; 500 is the service's default. */
  limit?: number;
}

interface ImsPage {
  images: { id: string }[];
}

const PATH = '/v2/cloudimages';

export class HuaweiSdkBaseline {
  requests = 0;
  private readonly credentials: BasicCredentials;

  constructor(private readonly listing: HuaweiListing) {
    this.credentials = new BasicCredentials().withAk(listing.accessKey).withSk(listing.secretKey).withProjectId(listing.projectId);
  }

  private async page(marker: string | undefined): Promise<ImsPage> {
    const limit = this.listing.limit ?? 500;
    const queryParams: Record<string, string> = { ...this.listing.params, limit: String(limit), ...(marker ? { marker } : {}) };
    const request = new HttpRequestBuilder()
      .withEndpoint(this.listing.endpoint)
      .withUrl(PATH)
      .withMethod('GET')
      .withHeaders({ 'Content-Type': 'application/json' })
      .withQueryParams(queryParams)
      .build();
    // The client is read only to exchange a federated ID token, which these credentials do not use.
    const signed = await this.credentials.processAuthRequest(undefined as unknown as HcClient, request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers as Record<string, string>)) if (name.toLowerCase() !== 'host') headers[name] = String(value);
    const query = Object.keys(queryParams)
      .sort()
      .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(queryParams[k])}`)
      .join('&');
    this.requests++;
    const response = await fetch(`${this.listing.endpoint}${PATH}?${query}`, { headers });
    const body = await response.text();
    if (!response.ok) throw new Error(`IMS answered ${response.status}: ${body.slice(0, 200)}`);
    return JSON.parse(body) as ImsPage;
  }

  /** One page with the configured limit (to probe the server's cap). */
  async firstPage(): Promise<{ id: string }[]> {
    return (await this.page(undefined)).images;
  }

  async listAll(): Promise<{ id: string }[]> {
    const limit = this.listing.limit ?? 500;
    const images: { id: string }[] = [];
    let marker: string | undefined;
    for (let n = 0; n < 1000; n++) {
      const { images: page } = await this.page(marker);
      images.push(...page);
      if (page.length < limit) return images;
      marker = page[page.length - 1].id;
    }
    throw new Error('more than 1000 pages');
  }
}
