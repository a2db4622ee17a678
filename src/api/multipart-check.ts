import type { FastifyReply, FastifyRequest } from 'fastify';

const BOUNDARY = /boundary=("?)([^";]+)\1/i;
// RFC 2046: 1–70 characters from this set.
const VALID_BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/;

/**
 * Langflow's middleware sanity check for `/api/v1/files/upload`: reject a non-multipart or
 * boundary-less Content-Type with 422 before the upload handler sees it.
 */
export async function checkMultipartUpload(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method !== 'POST' || !request.url.includes('/api/v1/files/upload')) return;
  const contentType = request.headers['content-type'] ?? '';
  const boundary = BOUNDARY.exec(contentType);
  if (!contentType.toLowerCase().startsWith('multipart/form-data') || !boundary) {
    await reply.code(422).send({ detail: "Content-Type header must be 'multipart/form-data' with a boundary parameter." });
    return;
  }
  if (!VALID_BOUNDARY.test(boundary[2])) {
    await reply.code(422).send({ detail: 'Invalid boundary format' });
  }
}
