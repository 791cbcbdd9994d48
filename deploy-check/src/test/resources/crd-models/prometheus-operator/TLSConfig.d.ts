import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig } from "./SafeTLSConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSFilesConfig } from "./TLSFilesConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap } from "./SecretOrConfigMap.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion } from "./TLSVersion.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * TLSConfig defines full TLS configuration.
 */
export interface ITLSConfig extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig, IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSFilesConfig {
}
/**
 * TLSConfig defines full TLS configuration.
 */
export declare class TLSConfig extends Model<ITLSConfig> implements ITLSConfig {
    "ca"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    "cert"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    "insecureSkipVerify"?: boolean;
    "keySecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "maxVersion"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion;
    "minVersion"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion;
    "serverName"?: string;
    "caFile"?: string;
    "certFile"?: string;
    "keyFile"?: string;
    constructor(data?: ModelData<ITLSConfig>);
}
export type { ITLSConfig as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig, TLSConfig as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig };
