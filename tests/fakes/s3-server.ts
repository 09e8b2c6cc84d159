/**
 * A loopback fake of an S3-compatible object store (path-style addressing, as MinIO, Garage or
 * any `S3_ENDPOINT` is used) speaking S3's wire format for what Coach Hub uses:
 *
 * - PutObject (`PUT /bucket/key`), GetObject / HeadObject (`GET|HEAD /bucket/key`, with a
 *   single `Range`, 416 InvalidRange past the end), DeleteObject (`DELETE /bucket/key`);
 * - multipart uploads, as `@aws-sdk/lib-storage` drives them: CreateMultipartUpload
 *   (`POST /bucket/key?uploads` → `<InitiateMultipartUploadResult>` with an UploadId),
 *   UploadPart (`PUT /bucket/key?partNumber=N&uploadId=…` → an ETag header),
 *   CompleteMultipartUpload (`POST /bucket/key?uploadId=…` with the `<CompleteMultipartUpload>`
 *   part list → `<CompleteMultipartUploadResult>`) and AbortMultipartUpload
 *   (`DELETE /bucket/key?uploadId=…` → 204). Completion is checked as S3 does: parts listed in
 *   ascending order (InvalidPartOrder), each one uploaded with that ETag and checksum
 *   (InvalidPart), all but the last at least 5 MiB (EntityTooSmall); unknown uploads are
 *   NoSuchUpload. The object exists only once completed; an aborted upload leaves nothing.
 *
 * Errors are S3's XML bodies (NoSuchBucket, NoSuchKey, InvalidAccessKeyId, AccessDenied…).
 * XML is read and written with `@aws-sdk/xml-builder`, the SDK's own XML codec (the one the
 * client uses to read these answers). Every request must carry a SigV4 `Authorization` header
 * naming a known access key (the signature itself is not recomputed: the SDK owns that). The
 * checksum headers the SDK sends with a PutObject are returned by GetObject (the SDK then
 * validates the body it reads); a completed multipart object has none (real S3 gives it a
 * composite checksum, which the SDK does not validate either). Every request is recorded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseXML, XmlNode } from '@aws-sdk/xml-builder';

export type S3Operation =
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'Unknown';

export interface S3Request {
  method: string;
  operation: S3Operation;
  bucket: string;
  key: string;
  query: URLSearchParams;
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

export interface MultipartUpload {
  key: string;
  contentType: string;
  parts: Map<number, { body: Buffer; etag: string; checksums: Record<string, string> }>;
}

export interface FakeS3 {
  /** The endpoint to configure as S3_ENDPOINT. */
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, StoredObject>;
  /** Multipart uploads created and neither completed nor aborted, by UploadId. */
  uploads: Map<string, MultipartUpload>;
  requests: S3Request[];
  /**
   * Answers the next `count` requests with this S3 error (e.g. 503 SlowDown, 403 AccessDenied),
   * or only the next `count` requests of one operation (e.g. 'UploadPart'). A new call replaces
   * the previous plan; a count of 0 clears it.
   */
  failNext(status: number, code: string, count?: number, operation?: S3Operation): void;
  close(): Promise<void>;
}

/** S3 refuses parts smaller than this, except the last one. */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

function xml(res: ServerResponse, status: number, root: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const node = new XmlNode(root);
  if (root !== 'Error') node.addAttribute('xmlns', S3_XMLNS);
  for (const [name, value] of Object.entries(fields)) node.c(XmlNode.of(name, value));
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${node.toString()}`;
  res.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string, resource: string) {
  xml(res, status, 'Error', { Code: code, Message: message, Resource: resource, RequestId: randomBytes(8).toString('hex') });
}

function operationOf(method: string, query: URLSearchParams): S3Operation {
  const upload = query.has('uploadId');
  switch (method) {
    case 'PUT':
      return upload && query.has('partNumber') ? 'UploadPart' : upload ? 'Unknown' : 'PutObject';
    case 'POST':
      return query.has('uploads') ? 'CreateMultipartUpload' : upload ? 'CompleteMultipartUpload' : 'Unknown';
    case 'DELETE':
      return upload ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    default:
      return 'Unknown';
  }
}

const checksumHeaders = (headers: IncomingMessage['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([h]) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-algorithm' && h !== 'x-amz-checksum-type').map(([h, v]) => [h, String(v)]));

/** The part list of a CompleteMultipartUpload body: `<Part><PartNumber>…</PartNumber><ETag>…</ETag>[<ChecksumCRC32>…]</Part>…`. */
function completedParts(body: Buffer): { partNumber: number; etag: string; checksums: Record<string, string> }[] | null {
  let doc: { CompleteMultipartUpload?: { Part?: Record<string, string> | Record<string, string>[] } };
  try {
    doc = parseXML(body.toString('utf8')) as typeof doc;
  } catch {
    return null;
  }
  const parts = doc.CompleteMultipartUpload?.Part;
  if (!parts) return null;
  return (Array.isArray(parts) ? parts : [parts]).map((p) => ({
    partNumber: Number(p.PartNumber),
    etag: p.ETag ?? '',
    checksums: Object.fromEntries(Object.entries(p).filter(([name]) => name.startsWith('Checksum')).map(([name, v]) => [`x-amz-checksum-${name.slice('Checksum'.length).toLowerCase()}`, v])),
  }));
}

export async function startFakeS3(options: { bucket?: string; region?: string } = {}): Promise<FakeS3> {
  const bucket = options.bucket ?? 'coachhub-test';
  const region = options.region ?? 'eu-west-3';
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString('base64');
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<string, MultipartUpload>();
  const requests: S3Request[] = [];
  let failures: { status: number; code: string; count: number; operation: S3Operation | undefined } | null = null;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const [, reqBucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    const operation = operationOf(method, url.searchParams);
    const authorization = req.headers.authorization;
    const credential = (authorization && SIGV4.exec(authorization)?.[1]) ?? null;
    requests.push({ method, operation, bucket: reqBucket, key, query: url.searchParams, credential, authorization, contentType: req.headers['content-type'], headers: req.headers, body });
    const resource = url.pathname;

    if (!credential) return xmlError(res, 403, 'AccessDenied', 'Missing or malformed AWS4-HMAC-SHA256 Authorization header', resource);
    const [keyId, date, scopeRegion, service, terminator] = credential.split('/');
    if (keyId !== accessKeyId) return xmlError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', resource);
    if (!/^\d{8}$/.test(date ?? '') || scopeRegion !== region || service !== 's3' || terminator !== 'aws4_request') {
      return xmlError(res, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`, resource);
    }
    if (!req.headers['x-amz-date'] || !req.headers['x-amz-content-sha256']) return xmlError(res, 400, 'InvalidRequest', 'Missing x-amz-date or x-amz-content-sha256', resource);
    if (failures && failures.count > 0 && (failures.operation === undefined || failures.operation === operation)) {
      failures.count--;
      return xmlError(res, failures.status, failures.code, 'Injected failure', resource);
    }
    if (reqBucket !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', resource);
    if (!key) return xmlError(res, 400, 'InvalidRequest', 'This fake serves objects only', resource);
    if ((method === 'PUT' || method === 'POST') && req.headers['content-encoding']?.includes('aws-chunked')) {
      return xmlError(res, 501, 'NotImplemented', 'aws-chunked uploads are not supported by this fake', resource);
    }
    const uploadId = url.searchParams.get('uploadId');
    const upload = uploadId === null ? undefined : uploads.get(uploadId);
    const noSuchUpload = () => xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', resource);

    switch (operation) {
      case 'PutObject': {
        const checksums = checksumHeaders(req.headers);
        objects.set(key, { body, contentType: req.headers['content-type'] ?? 'binary/octet-stream', checksums });
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, ...checksums }).end();
        return;
      }
      case 'GetObject':
      case 'HeadObject': {
        const object = objects.get(key);
        if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', resource);
        const size = object.body.length;
        const headers: Record<string, string | number> = { 'content-type': object.contentType, 'accept-ranges': 'bytes', 'last-modified': new Date().toUTCString() };
        const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
        if (range && (range[1] || range[2])) {
          // bytes=a-b, bytes=a- or the suffix bytes=-n, as S3 reads a single range.
          const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
          const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
          if (start >= size || start > end) return xmlError(res, 416, 'InvalidRange', 'The requested range is not satisfiable', resource);
          const part = object.body.subarray(start, end + 1);
          res.writeHead(206, { ...headers, 'content-length': part.length, 'content-range': `bytes ${start}-${end}/${size}` }).end(method === 'GET' ? part : undefined);
          return;
        }
        // Whole-object checksums only describe whole bodies.
        res.writeHead(200, { ...headers, ...object.checksums, 'content-length': size }).end(method === 'GET' ? object.body : undefined);
        return;
      }
      case 'DeleteObject':
        objects.delete(key);
        res.writeHead(204).end();
        return;
      case 'CreateMultipartUpload': {
        const id = randomBytes(24).toString('base64url');
        uploads.set(id, { key, contentType: req.headers['content-type'] ?? 'binary/octet-stream', parts: new Map() });
        const algorithm = req.headers['x-amz-checksum-algorithm'];
        return xml(res, 200, 'InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: id }, typeof algorithm === 'string' ? { 'x-amz-checksum-algorithm': algorithm } : {});
      }
      case 'UploadPart': {
        const partNumber = Number(url.searchParams.get('partNumber'));
        if (!upload || upload.key !== key) return noSuchUpload();
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) return xmlError(res, 400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', resource);
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        const checksums = checksumHeaders(req.headers);
        upload.parts.set(partNumber, { body, etag, checksums });
        res.writeHead(200, { etag, ...checksums }).end();
        return;
      }
      case 'CompleteMultipartUpload': {
        if (!upload || upload.key !== key) return noSuchUpload();
        const listed = completedParts(body);
        if (!listed?.length) return xmlError(res, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.', resource);
        for (let i = 0; i < listed.length; i++) {
          const p = listed[i]!;
          if (i > 0 && p.partNumber <= listed[i - 1]!.partNumber) return xmlError(res, 400, 'InvalidPartOrder', 'The list of parts was not in ascending order.', resource);
          const stored = upload.parts.get(p.partNumber);
          const checksumsMatch = stored && Object.entries(p.checksums).every(([h, v]) => stored.checksums[h] === v);
          if (!stored || stored.etag !== p.etag || !checksumsMatch) return xmlError(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.', resource);
          if (i < listed.length - 1 && stored.body.length < S3_MIN_PART_BYTES) return xmlError(res, 400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', resource);
        }
        const whole = Buffer.concat(listed.map((p) => upload.parts.get(p.partNumber)!.body));
        objects.set(key, { body: whole, contentType: upload.contentType, checksums: {} });
        uploads.delete(uploadId!);
        const etag = `"${createHash('md5').update(Buffer.concat(listed.map((p) => Buffer.from(p.etag.replaceAll('"', ''), 'hex')))).digest('hex')}-${listed.length}"`;
        return xml(res, 200, 'CompleteMultipartUploadResult', { Location: `http://${req.headers.host}${resource}`, Bucket: bucket, Key: key, ETag: etag });
      }
      case 'AbortMultipartUpload':
        if (!upload || upload.key !== key) return noSuchUpload();
        uploads.delete(uploadId!);
        res.writeHead(204).end();
        return;
      default:
        xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource);
    }
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
    uploads,
    requests,
    failNext: (status, code, count = 1, operation) => {
      failures = { status, code, count, operation };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app's S3_* settings pointing at a fake. */
export function s3Env(s3: FakeS3): Record<string, string> {
  return { S3_BUCKET: s3.bucket, S3_REGION: s3.region, S3_ENDPOINT: s3.url, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey };
}
