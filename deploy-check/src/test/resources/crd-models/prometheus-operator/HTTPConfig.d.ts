import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithoutTLS } from "./HTTPConfigWithoutTLS.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig } from "./SafeTLSConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization } from "./SafeAuthorization.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth } from "./BasicAuth.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 } from "./OAuth2.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HTTPConfig defines the HTTP configuration + TLS configuration (only from
 * secret/configmap references).
 */
export interface IHTTPConfig extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithoutTLS {
    /**
     * tlsConfig defines the TLS configuration used by the client.
     */
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig;
}
/**
 * HTTPConfig defines the HTTP configuration + TLS configuration (only from
 * secret/configmap references).
 */
export declare class HTTPConfig extends Model<IHTTPConfig> implements IHTTPConfig {
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "enableHttp2"?: boolean;
    "followRedirects"?: boolean;
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig;
    constructor(data?: ModelData<IHTTPConfig>);
}
export type { IHTTPConfig as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfig, HTTPConfig as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfig };
