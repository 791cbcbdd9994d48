import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthentication } from "./ClusterTriggerAuthentication.js";
import { IIoK8sApimachineryPkgApisMetaV1ListMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ListMeta";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * ClusterTriggerAuthenticationList contains a list of ClusterTriggerAuthentication
 */
export interface IClusterTriggerAuthenticationList extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthentication>;
    "kind": "ClusterTriggerAuthenticationList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
}
/**
 * ClusterTriggerAuthenticationList contains a list of ClusterTriggerAuthentication
 */
export declare class ClusterTriggerAuthenticationList extends Model<IClusterTriggerAuthenticationList> implements IClusterTriggerAuthenticationList {
    "apiVersion": "keda.sh/v1alpha1";
    "items": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthentication>;
    "kind": "ClusterTriggerAuthenticationList";
    "metadata": IIoK8sApimachineryPkgApisMetaV1ListMeta;
    static apiVersion: IClusterTriggerAuthenticationList["apiVersion"];
    static kind: IClusterTriggerAuthenticationList["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IClusterTriggerAuthenticationList>;
    constructor(data?: ModelData<IClusterTriggerAuthenticationList>);
}
export type { IClusterTriggerAuthenticationList as IComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthenticationList, ClusterTriggerAuthenticationList as ComGithubKedacoreKedaV2ApisKedaV1alpha1ClusterTriggerAuthenticationList };
