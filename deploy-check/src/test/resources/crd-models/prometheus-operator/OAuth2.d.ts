import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig } from "./ProxyConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap } from "./SecretOrConfigMap.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig } from "./SafeTLSConfig.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * OAuth2 configures OAuth2 settings.
 */
export interface IOAuth2 extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig {
    /**
     * clientId defines a key of a Secret or ConfigMap containing the
     * OAuth2 client's ID.
     */
    "clientId": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    /**
     * clientSecret defines a key of a Secret containing the OAuth2
     * client's secret.
     */
    "clientSecret": IIoK8sApiCoreV1SecretKeySelector;
    /**
     * endpointParams configures the HTTP parameters to append to the token
     * URL.
     */
    "endpointParams"?: {
        [key: string]: string;
    };
    /**
     * scopes defines the OAuth2 scopes used for the token request.
     */
    "scopes"?: Array<string>;
    /**
     * tlsConfig defines the TLS configuration to use when connecting to the OAuth2 server.
     * It requires Prometheus >= v2.43.0.
     */
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig;
    /**
     * tokenUrl defines the URL to fetch the token from.
     */
    "tokenUrl": string;
}
/**
 * OAuth2 configures OAuth2 settings.
 */
export declare class OAuth2 extends Model<IOAuth2> implements IOAuth2 {
    "noProxy"?: string;
    "proxyConnectHeader"?: {
        [key: string]: Array<IIoK8sApiCoreV1SecretKeySelector>;
    };
    "proxyFromEnvironment"?: boolean;
    "proxyUrl"?: string;
    "clientId": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap;
    "clientSecret": IIoK8sApiCoreV1SecretKeySelector;
    "endpointParams"?: {
        [key: string]: string;
    };
    "scopes"?: Array<string>;
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeTLSConfig;
    "tokenUrl": string;
    constructor(data?: ModelData<IOAuth2>);
}
export type { IOAuth2 as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2, OAuth2 as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 };
