// tsgi/middleware: the standard middleware.
export { type Encoding, negotiateEncoding } from "./accept-encoding.ts";
export { type CompressOptions, compress, compressible } from "./compress.ts";
export { type LoggerOptions, type RequestLog, commonLogFormat, logger } from "./logger.ts";
