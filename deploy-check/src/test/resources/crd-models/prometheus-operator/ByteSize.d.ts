/**
 * ByteSize is a valid memory size type based on powers-of-2, so 1KB is 1024B.
 * Supported units: B, KB, KiB, MB, MiB, GB, GiB, TB, TiB, PB, PiB, EB, EiB Ex: `512MB`.
 */
export type IByteSize = string;
export type ByteSize = IByteSize;
export type { IByteSize as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize, ByteSize as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize };
