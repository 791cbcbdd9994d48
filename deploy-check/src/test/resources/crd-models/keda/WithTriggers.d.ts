import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersSpec } from "./WithTriggersSpec.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * WithTriggers is a specification for a resource with triggers
 */
export interface IWithTriggers extends TypeMeta {
    "apiVersion": "keda.sh/v1alpha1";
    "internalKind": string;
    "kind": "WithTriggers";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersSpec;
}
/**
 * WithTriggers is a specification for a resource with triggers
 */
export declare class WithTriggers extends Model<IWithTriggers> implements IWithTriggers {
    "apiVersion": "keda.sh/v1alpha1";
    "internalKind": string;
    "kind": "WithTriggers";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersSpec;
    static apiVersion: IWithTriggers["apiVersion"];
    static kind: IWithTriggers["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IWithTriggers>;
    constructor(data?: ModelData<IWithTriggers>);
}
export type { IWithTriggers as IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggers, WithTriggers as ComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggers };
