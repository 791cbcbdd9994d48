import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IProxyConfig {
    /**
     * noProxy defines a comma-separated string that can contain IPs, CIDR notation, domain names
     * that should be excluded from proxying. IP and domain names can
     * contain port numbers.
     *
     * It requires Prometheus >= v2.43.0, Alertmanager >= v0.25.0 or Thanos >= v0.32.0.
     */
    "noProxy"?: string;
    /**
     * proxyConnectHeader optionally specifies headers to send to
     * proxies during CONNECT requests.
     *
     * It requires Prometheus >= v2.43.0, Alertmanager >= v0.25.0 or Thanos >= v0.32.0.
     */
    "proxyConnectHeader"?: {
        [key: string]: Array<IIoK8sApiCoreV1SecretKeySelector>;
    };
    /**
     * proxyFromEnvironment defines whether to use the proxy configuration defined by environment variables (HTTP_PROXY, HTTPS_PROXY, and NO_PROXY).
     *
     * It requires Prometheus >= v2.43.0, Alertmanager >= v0.25.0 or Thanos >= v0.32.0.
     */
    "proxyFromEnvironment"?: boolean;
    /**
     * proxyUrl defines the HTTP proxy server to use.
     */
    "proxyUrl"?: string;
}
export declare class ProxyConfig extends Model<IProxyConfig> implements IProxyConfig {
    "noProxy"?: string;
    "proxyConnectHeader"?: {
        [key: string]: Array<IIoK8sApiCoreV1SecretKeySelector>;
    };
    "proxyFromEnvironment"?: boolean;
    "proxyUrl"?: string;
    constructor(data?: ModelData<IProxyConfig>);
}
export type { IProxyConfig as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig, ProxyConfig as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ProxyConfig };
