import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfig } from "./HTTPConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig } from "./ProxyConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization } from "./SafeAuthorization.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth } from "./BasicAuth.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 } from "./OAuth2.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig } from "./SafeTLSConfig.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HTTPConfigWithProxy defines the configuration for the HTTP client with proxy
 * configuration. It is used for PodMonitor endpoints and Probes.
 */
export interface IHTTPConfigWithProxy extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfig, IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig {
}
/**
 * HTTPConfigWithProxy defines the configuration for the HTTP client with proxy
 * configuration. It is used for PodMonitor endpoints and Probes.
 */
export declare class HTTPConfigWithProxy extends Model<IHTTPConfigWithProxy> implements IHTTPConfigWithProxy {
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "enableHttp2"?: boolean;
    "followRedirects"?: boolean;
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig;
    "noProxy"?: string;
    "proxyConnectHeader"?: {
        [key: string]: Array<IIoK8sApiCoreV1SecretKeySelector>;
    };
    "proxyFromEnvironment"?: boolean;
    "proxyUrl"?: string;
    constructor(data?: ModelData<IHTTPConfigWithProxy>);
}
export type { IHTTPConfigWithProxy as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithProxy, HTTPConfigWithProxy as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithProxy };
