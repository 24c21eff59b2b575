/**
 * How an nscale request carries its credentials: the service token as a bearer token. Nothing is signed, so every
 * attempt sends the same header.
 */

/** The header that authorizes a request. */
export function authorize(serviceToken: string): { authorization: string } {
  return { authorization: `Bearer ${serviceToken}` };
}
