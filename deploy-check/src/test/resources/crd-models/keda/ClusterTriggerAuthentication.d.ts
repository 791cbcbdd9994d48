import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec } from "./TriggerAuthenticationSpec.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus } from "./TriggerAuthenticationStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * ClusterTriggerAuthentication defines how a trigger can authenticate globally
 */
export interface IClusterTriggerAuthentication extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "ClusterTriggerAuthentication";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus;
}
/**
 * ClusterTriggerAuthentication defines how a trigger can authenticate globally
 */
export declare class ClusterTriggerAuthentication extends Model<IClusterTriggerAuthentication> implements IClusterTriggerAuthentication {
    "apiVersion": "keda.sh/v1alpha1";
    "kind": "ClusterTriggerAuthentication";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationSpec;
    "status"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1TriggerAuthenticationStatus;
    static apiVersion: IClusterTriggerAuthentication["apiVersion"];
    static kind: IClusterTriggerAuthentication["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IClusterTriggerAuthentication>;
    constructor(data?: ModelData<IClusterTriggerAuthentication>);
}
export type { IClusterTriggerAuthentication as IComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthentication, ClusterTriggerAuthentication as ComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthentication };
