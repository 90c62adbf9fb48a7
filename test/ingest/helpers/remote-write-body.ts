import protobuf from 'protobufjs';
import { compressSync } from 'snappy';

// An encoder written from prompb's field numbers, independent of the decoder under test.
const WriteRequest = protobuf
  .parse(
    `syntax = "proto3";
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
message WriteRequest { repeated TimeSeries timeseries = 1; }`,
  )
  .root.lookupType('WriteRequest');

/** A remote-write 1.0 request body (snappy-compressed WriteRequest) of these series, as Prometheus sends it. */
export const remoteWriteBody = (timeseries: unknown[]): Buffer =>
  compressSync(Buffer.from(WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish()));
