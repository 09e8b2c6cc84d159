/**
 * A loopback fake of an S3-compatible object store (path-style addressing, as MinIO, Garage or
 * any `S3_ENDPOINT` is used) speaking S3's wire format for what Coach Hub uses: PutObject
 * (`PUT /bucket/key`), GetObject (`GET /bucket/key`, with `Range`) and DeleteObject
 * (`DELETE /bucket/key`), with S3's XML error bodies (NoSuchBucket, NoSuchKey,
 * InvalidAccessKeyId, AccessDenied…). It checks that every request carries a SigV4
 * `Authorization` header naming a known access key (the signature itself is not recomputed:
 * the SDK owns that), keeps the checksum headers the SDK sends so GetObject returns them
 * (the SDK then validates the body it reads), and records every request.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  /** The SigV4 credential scope: `<accessKeyId>/<yyyymmdd>/<region>/s3/aws4_request`. */
  credential: string | null;
  authorization: string | undefined;
  contentType: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  /** x-amz-checksum-* headers sent with the PUT, returned on GET. */
  checksums: Record<string, string>;
}

export interface FakeS3 {
  /** The endpoint to configure as S3_ENDPOINT. */
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, StoredObject>;
  requests: S3Request[];
  /** Answers the next N requests with this S3 error (e.g. 503 SlowDown, 403 AccessDenied). */
  failNext(status: number, code: string, count?: number): void;
  close(): Promise<void>;
}

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

function xmlError(res: ServerResponse, status: number, code: string, message: string, resource: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
}

export async function startFakeS3(options: { bucket?: string; region?: string } = {}): Promise<FakeS3> {
  const bucket = options.bucket ?? 'coachhub-test';
  const region = options.region ?? 'eu-west-3';
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString('base64');
  const objects = new Map<string, StoredObject>();
  const requests: S3Request[] = [];
  let failures: { status: number; code: string; count: number } | null = null;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const [, reqBucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const authorization = req.headers.authorization;
    const credential = (authorization && SIGV4.exec(authorization)?.[1]) ?? null;
    requests.push({ method: req.method ?? 'GET', bucket: reqBucket, key, credential, authorization, contentType: req.headers['content-type'], headers: req.headers, body });
    const resource = url.pathname;

    if (!credential) return xmlError(res, 403, 'AccessDenied', 'Missing or malformed AWS4-HMAC-SHA256 Authorization header', resource);
    const [keyId, date, scopeRegion, service, terminator] = credential.split('/');
    if (keyId !== accessKeyId) return xmlError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', resource);
    if (!/^\d{8}$/.test(date ?? '') || scopeRegion !== region || service !== 's3' || terminator !== 'aws4_request') {
      return xmlError(res, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`, resource);
    }
    if (!req.headers['x-amz-date'] || !req.headers['x-amz-content-sha256']) return xmlError(res, 400, 'InvalidRequest', 'Missing x-amz-date or x-amz-content-sha256', resource);
    if (failures && failures.count > 0) {
      failures.count--;
      return xmlError(res, failures.status, failures.code, 'Injected failure', resource);
    }
    if (reqBucket !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', resource);
    if (!key) return xmlError(res, 400, 'InvalidRequest', 'This fake serves objects only', resource);

    if (req.method === 'PUT') {
      if (req.headers['content-encoding']?.includes('aws-chunked')) return xmlError(res, 501, 'NotImplemented', 'aws-chunked uploads are not supported by this fake', resource);
      const checksums = Object.fromEntries(Object.entries(req.headers).filter(([h]) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-algorithm').map(([h, v]) => [h, String(v)]));
      objects.set(key, { body, contentType: req.headers['content-type'] ?? 'binary/octet-stream', checksums });
      res.writeHead(200, { etag: `"${randomBytes(16).toString('hex')}"`, ...checksums }).end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(key);
      if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', resource);
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const size = object.body.length;
      const headers: Record<string, string | number> = { 'content-type': object.contentType, 'accept-ranges': 'bytes', 'last-modified': new Date().toUTCString() };
      if (range) {
        const start = Number(range[1]);
        const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
        const part = object.body.subarray(start, end + 1);
        res.writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${size}` }).end(req.method === 'GET' ? part : undefined);
        return;
      }
      // Whole-object checksums only describe whole bodies.
      res.writeHead(200, { ...headers, ...object.checksums, 'content-length': size }).end(req.method === 'GET' ? object.body : undefined);
      return;
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects,
    requests,
    failNext: (status, code, count = 1) => {
      failures = { status, code, count };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
