/**
 * Every failure of a request as a JSON answer `{error, message}`: `error` a stable machine-readable code,
 * `message` one sentence saying what was wrong and what the server takes. Fastify's own errors (media type,
 * body size, JSON syntax) and shendu's typed errors (bad image, shape, value) map to 4xx codes; anything else is
 * a 500 whose details stay in the server's log.
 * @module
 */
import { DataError, ShapeError, ValueError } from '../errors.js';

/** One error answer: the HTTP status and its JSON body. */
export interface ErrorAnswer {
  /** HTTP status code. */
  status: number;
  /** The body. */
  body: { error: string; message: string };
}

/** The answer of status `status` with code `error` and `message`. */
export function answer(status: number, error: string, message: string): ErrorAnswer {
  return { status, body: { error, message } };
}

/** What the server knows of itself for messages: the body limit in bytes and the media types it takes. */
export interface ErrorContext {
  /** Largest body in bytes. */
  bodyLimit: number;
  /** Media types POST /v1/predict takes. */
  mediaTypes: readonly string[];
}

/** The answer to error `e` thrown while handling a request with Content-Type `contentType`. */
export function errorAnswer(e: unknown, contentType: string | undefined, ctx: ErrorContext): ErrorAnswer {
  if (e instanceof DataError) return answer(400, 'bad_input', e.message);
  if (e instanceof ShapeError) return answer(422, 'bad_shape', e.message);
  if (e instanceof ValueError) return answer(422, 'bad_value', e.message);
  const err = e as { code?: unknown; statusCode?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return answer(415, 'unsupported_media_type', `POST /v1/predict takes a body of type ${ctx.mediaTypes.join(', ')}; got ${contentType ? `Content-Type ${JSON.stringify(contentType.slice(0, 100))}` : 'no Content-Type'}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return answer(413, 'body_too_large', `the body is larger than the server's limit of ${ctx.bodyLimit} bytes (--body-limit)`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return answer(400, 'bad_json', `the body is not valid JSON (or uses __proto__ or constructor keys): ${String(err.message)}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return answer(400, 'bad_json', 'the body is empty; a JSON body is {"inputs": [...]}');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return answer(400, 'bad_request', 'the body is shorter or longer than its Content-Length header says');
    default:
      break;
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) return answer(status, 'bad_request', typeof err.message === 'string' ? err.message : 'bad request');
  return answer(500, 'internal', 'the server failed to answer this request; its log says why');
}
