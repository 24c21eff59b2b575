/**
 * The wire format of IMS (`GET /v2/cloudimages`, Huawei Cloud and Open Telekom Cloud): the API's constants, the
 * record and the error body, shared by the client, the normalizer and the emulator.
 */

export const OPERATION = 'ListImages';
/** Glance (under IMS) silently caps `limit` at `api_limit_max`, 1000 by default: asking for more would make
 * a capped full page look like a short last page. */
export const MAX_PAGE_SIZE = 1000;

/** The fields of an IMS record this package reads (records carry many more). */
export interface ImsImage {
  id: string;
  name: string;
  status?: string;
  created_at?: string;
  updated_at?: string;
  visibility?: string;
  owner?: string;
  min_disk?: number | string;
  tags?: string[];
  virtual_env_type?: string;
  __imagetype?: string;
  __os_type?: string;
  __platform?: string;
  __os_version?: string;
  __os_bit?: string;
  __description?: string;
  __support_arm?: string | boolean;
  __support_kvm_gpu_type?: string | boolean;
  __support_xen_gpu_type?: string | boolean;
  [field: string]: unknown;
}

/** An error answer, either shape (`error_code`/`error_msg`, or `error: {code, message}`), as read. */
export interface ImsErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}
