import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithTLSFiles } from "./HTTPConfigWithTLSFiles.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig } from "./ProxyConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization } from "./SafeAuthorization.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth } from "./BasicAuth.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 } from "./OAuth2.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig } from "./TLSConfig.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HTTPConfigWithProxyAndTLSFiles defines the configuration for the HTTP client
 * with proxy configuration and TLS configuration. It is used for
 * ServiceMonitor endpoints.
 */
export interface IHTTPConfigWithProxyAndTLSFiles extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithTLSFiles, IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig {
}
/**
 * HTTPConfigWithProxyAndTLSFiles defines the configuration for the HTTP client
 * with proxy configuration and TLS configuration. It is used for
 * ServiceMonitor endpoints.
 */
export declare class HTTPConfigWithProxyAndTLSFiles extends Model<IHTTPConfigWithProxyAndTLSFiles> implements IHTTPConfigWithProxyAndTLSFiles {
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "enableHttp2"?: boolean;
    "followRedirects"?: boolean;
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig;
    "noProxy"?: string;
    "proxyConnectHeader"?: {
        [key: string]: Array<IIoK8sApiCoreV1SecretKeySelector>;
    };
    "proxyFromEnvironment"?: boolean;
    "proxyUrl"?: string;
    constructor(data?: ModelData<IHTTPConfigWithProxyAndTLSFiles>);
}
export type { IHTTPConfigWithProxyAndTLSFiles as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithProxyAndTLSFiles, HTTPConfigWithProxyAndTLSFiles as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithProxyAndTLSFiles };
