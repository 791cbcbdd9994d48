import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithoutTLS } from "./HTTPConfigWithoutTLS.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig } from "./TLSConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization } from "./SafeAuthorization.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth } from "./BasicAuth.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 } from "./OAuth2.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HTTPConfigWithTLSFiles defines HTTP configuration + TLS configuration
 * (from secret/configmap references as well as files).
 */
export interface IHTTPConfigWithTLSFiles extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithoutTLS {
    /**
     * tlsConfig defines TLS configuration used by the client.
     */
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig;
}
/**
 * HTTPConfigWithTLSFiles defines HTTP configuration + TLS configuration
 * (from secret/configmap references as well as files).
 */
export declare class HTTPConfigWithTLSFiles extends Model<IHTTPConfigWithTLSFiles> implements IHTTPConfigWithTLSFiles {
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "enableHttp2"?: boolean;
    "followRedirects"?: boolean;
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig;
    constructor(data?: ModelData<IHTTPConfigWithTLSFiles>);
}
export type { IHTTPConfigWithTLSFiles as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithTLSFiles, HTTPConfigWithTLSFiles as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithTLSFiles };
