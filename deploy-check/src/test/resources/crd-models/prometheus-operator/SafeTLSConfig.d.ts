import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap } from "./SecretOrConfigMap.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion } from "./TLSVersion.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * SafeTLSConfig defines safe TLS configurations.
 */
export interface ISafeTLSConfig {
    /**
     * ca defines the Certificate authority used when verifying server certificates.
     */
    "ca"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    /**
     * cert defines the Client certificate to present when doing client-authentication.
     */
    "cert"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    /**
     * insecureSkipVerify defines how to disable target certificate validation.
     */
    "insecureSkipVerify"?: boolean;
    /**
     * keySecret defines the Secret containing the client key file for the targets.
     */
    "keySecret"?: IIoK8sApiCoreV1SecretKeySelector;
    /**
     * maxVersion defines the maximum acceptable TLS version.
     *
     * It requires Prometheus >= v2.41.0 or Thanos >= v0.31.0.
     */
    "maxVersion"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion;
    /**
     * minVersion defines the minimum acceptable TLS version.
     *
     * It requires Prometheus >= v2.35.0 or Thanos >= v0.28.0.
     */
    "minVersion"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion;
    /**
     * serverName is used to verify the hostname for the targets.
     */
    "serverName"?: string;
}
/**
 * SafeTLSConfig defines safe TLS configurations.
 */
export declare class SafeTLSConfig extends Model<ISafeTLSConfig> implements ISafeTLSConfig {
    "ca"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    "cert"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    "insecureSkipVerify"?: boolean;
    "keySecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "maxVersion"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion;
    "minVersion"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion;
    "serverName"?: string;
    constructor(data?: ModelData<ISafeTLSConfig>);
}
export type { ISafeTLSConfig as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig, SafeTLSConfig as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig };
