import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization } from "./SafeAuthorization.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth } from "./BasicAuth.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 } from "./OAuth2.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HTTPConfigWithoutTLS defines the configuration for the HTTP client.
 */
export interface IHTTPConfigWithoutTLS {
    /**
     * authorization configures the Authorization header credentials used by
     * the client.
     *
     * Cannot be set at the same time as `basicAuth`, `bearerTokenSecret` or `oauth2`.
     */
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    /**
     * basicAuth defines the Basic Authentication credentials used by the
     * client.
     *
     * Cannot be set at the same time as `authorization`, `bearerTokenSecret` or `oauth2`.
     */
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    /**
     * bearerTokenSecret defines a key of a Secret containing the bearer token
     * used by the client for authentication. The secret needs to be in the
     * same namespace as the custom resource and readable by the Prometheus
     * Operator.
     *
     * Cannot be set at the same time as `authorization`, `basicAuth` or `oauth2`.
     *
     * Deprecated: use `authorization` instead.
     */
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    /**
     * enableHttp2 can be used to disable HTTP2.
     */
    "enableHttp2"?: boolean;
    /**
     * followRedirects defines whether the client should follow HTTP 3xx
     * redirects.
     */
    "followRedirects"?: boolean;
    /**
     * oauth2 defines the OAuth2 settings used by the client.
     *
     * It requires Prometheus >= 2.27.0.
     *
     * Cannot be set at the same time as `authorization`, `basicAuth` or `bearerTokenSecret`.
     */
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
}
/**
 * HTTPConfigWithoutTLS defines the configuration for the HTTP client.
 */
export declare class HTTPConfigWithoutTLS extends Model<IHTTPConfigWithoutTLS> implements IHTTPConfigWithoutTLS {
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "enableHttp2"?: boolean;
    "followRedirects"?: boolean;
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
    constructor(data?: ModelData<IHTTPConfigWithoutTLS>);
}
export type { IHTTPConfigWithoutTLS as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithoutTLS, HTTPConfigWithoutTLS as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithoutTLS };
