import { IIoK8sApiCoreV1ConfigMapKeySelector } from "kubernetes-models/v1/ConfigMapKeySelector";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * SecretOrConfigMap allows to specify data as a Secret or ConfigMap. Fields are mutually exclusive.
 */
export interface ISecretOrConfigMap {
    /**
     * configMap defines the ConfigMap containing data to use for the targets.
     */
    "configMap"?: IIoK8sApiCoreV1ConfigMapKeySelector;
    /**
     * secret defines the Secret containing data to use for the targets.
     */
    "secret"?: IIoK8sApiCoreV1SecretKeySelector;
}
/**
 * SecretOrConfigMap allows to specify data as a Secret or ConfigMap. Fields are mutually exclusive.
 */
export declare class SecretOrConfigMap extends Model<ISecretOrConfigMap> implements ISecretOrConfigMap {
    "configMap"?: IIoK8sApiCoreV1ConfigMapKeySelector;
    "secret"?: IIoK8sApiCoreV1SecretKeySelector;
    constructor(data?: ModelData<ISecretOrConfigMap>);
}
export type { ISecretOrConfigMap as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap, SecretOrConfigMap as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SecretOrConfigMap };
